package io.paasbroker.broker.security;

import io.paasbroker.broker.osb.OsbErrors;
import io.paasbroker.broker.security.PlatformAuthenticationProvider.Account;
import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.host.DataDirectory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Basic auth on the OSB API for the configured platforms. Platforms come from {@code paasbroker.security.platforms}
 * (BCrypt hashes); {@code spring.security.user.name/password} adds one more. With neither, the embedded default
 * generates a password into the data directory and says where it is. Operators ({@code
 * paasbroker.security.operators}) may call /admin and nothing else; platforms may not call /admin.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    PlatformAuthenticationProvider platformAuthenticationProvider(
            BrokerProperties properties, SecurityProperties security, DataDirectory data, PasswordEncoder encoder) {
        List<Account> platforms = new ArrayList<>();
        configured(properties.security().platforms())
                .forEach(p -> platforms.add(Account.platform(p.username(), bcrypt(p))));
        SecurityProperties.User user = security.getUser();
        if (!user.isPasswordGenerated()) {
            platforms.add(Account.platform(user.getName(), "{noop}" + user.getPassword()));
        }
        if (platforms.isEmpty()) {
            if (!properties.embedded().enabled()) {
                throw new IllegalArgumentException("configure paasbroker.security.platforms (username and BCrypt"
                        + " password-hash) or spring.security.user.name/password");
            }
            Properties generated = data.secretProperties("broker-credentials.properties", () -> {
                Properties initial = new Properties();
                initial.setProperty("username", "broker");
                initial.setProperty("password", Passwords.generate());
                return initial;
            });
            platforms.add(
                    Account.platform(generated.getProperty("username"), "{noop}" + generated.getProperty("password")));
            log.info(
                    "Platform credentials: user '{}', password in {} (set spring.security.user.name and"
                            + " spring.security.user.password to choose your own)",
                    generated.getProperty("username"),
                    data.resolve("broker-credentials.properties"));
        }
        List<Account> accounts = new ArrayList<>(platforms);
        configured(properties.security().operators())
                .forEach(o -> accounts.add(Account.operator(o.username(), bcrypt(o))));
        return new PlatformAuthenticationProvider(
                accounts,
                encoder,
                new FailedLogins(
                        properties.security().failedLoginDelay(),
                        properties.security().failedLoginsPerMinute()));
    }

    private static List<BrokerProperties.Security.Account> configured(
            List<BrokerProperties.Security.Account> accounts) {
        return accounts == null ? List.of() : accounts;
    }

    private static String bcrypt(BrokerProperties.Security.Account account) {
        return account.passwordHash().startsWith("{") ? account.passwordHash() : "{bcrypt}" + account.passwordHash();
    }

    /**
     * No observation around every security filter of every request: it cost a tenth of the broker's CPU per OSB call,
     * and the broker's metrics are per operation.
     */
    /** 401 for missing or wrong credentials; 429, with when to try again, for a client over its failed logins. */
    private static void refuse(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
            throws IOException {
        if (refused instanceof TooManyFailedLoginsException tooMany) {
            response.setHeader("Retry-After", String.valueOf(tooMany.retryAfterSeconds()));
            OsbErrors.write(response, HttpStatus.TOO_MANY_REQUESTS, tooMany.getMessage());
            return;
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
    }

    /**
     * A path the firewall refuses (an encoded line break, a NUL, a backslash...) is the client's mistake: 400 with an
     * OSB error that repeats none of it, not the 401 of the error page it would otherwise reach.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejected) -> OsbErrors.write(
                response,
                HttpStatus.BAD_REQUEST,
                "the request's path or headers hold characters the broker refuses (control characters, encoded"
                        + " slashes or backslashes, ...)");
    }

    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // the provider is a bean, so the shared authentication manager has it already: added here too, a
                // failed login would be checked (and counted) twice
                .authorizeHttpRequests(
                        // the framework's controllers answer asynchronously (Mono): the second, ASYNC dispatch of a
                        // request that was authorized on its way in need not be authorized again
                        auth -> auth.dispatcherTypeMatchers(DispatcherType.ASYNC)
                                .permitAll()
                                .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                                .permitAll()
                                .requestMatchers("/admin/**")
                                .hasRole(PlatformAuthenticationProvider.OPERATOR)
                                .requestMatchers("/actuator/**")
                                .authenticated()
                                // the OSB API, also under a platform instance prefix (/{platform-instance-id}/v2/...)
                                .anyRequest()
                                .hasRole(PlatformAuthenticationProvider.PLATFORM))
                .httpBasic(basic -> basic.authenticationEntryPoint(SecurityConfiguration::refuse))
                .exceptionHandling(e -> e.authenticationEntryPoint(SecurityConfiguration::refuse))
                .build();
    }
}
