package io.paasbroker.broker.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.broker.credentials.CredentialStore;
import io.paasbroker.broker.credentials.EncryptedJdbcCredentialStore;
import io.paasbroker.broker.credentials.EncryptionKey;
import io.paasbroker.broker.credentials.VaultCredentialStore;
import io.paasbroker.broker.credentials.VaultSettings;
import io.paasbroker.broker.operations.ReplicaId;
import io.paasbroker.broker.osb.ApiVersionFilter;
import io.paasbroker.broker.osb.CatalogDocumentFilter;
import io.paasbroker.broker.osb.MonoAnsweredInRequestThread;
import io.paasbroker.broker.osb.OsbCatalogMapper;
import io.paasbroker.broker.osb.OsbInputFilter;
import io.paasbroker.broker.osb.PlatformOwnershipFilter;
import io.paasbroker.broker.osb.RequestIdentityFilter;
import io.paasbroker.broker.osb.RequestLogFilter;
import io.paasbroker.broker.osb.ServerTimingFilter;
import io.paasbroker.broker.provisioning.ProvisionerRegistry;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.broker.security.PlatformAuthenticationProvider;
import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.broker.settings.MissingSettingsException;
import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.catalog.CatalogLoader;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.host.DataDirectory;
import io.paasbroker.provisioner.host.ProvisionerPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.Ordered;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Wires the broker from its configuration: catalog, provisioners, credential store, OSB filters. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BrokerProperties.class)
public class BrokerConfiguration {

    @Bean
    DataDirectory dataDirectory(BrokerProperties properties) {
        return new DataDirectory(properties.dataDirectory());
    }

    @Bean
    ReplicaId replicaId() {
        return ReplicaId.generate();
    }

    /** Work one replica at a time; provisioner modules use it too. */
    @Bean
    AdvisoryLock replicaLock(DataSource dataSource) {
        return new AdvisoryLock(dataSource);
    }

    /** The provisioner modules' provisioners, and any provisioner defined as a bean on its own. */
    @Bean
    ProvisionerRegistry provisionerRegistry(
            ObjectProvider<ProvisionerPlugin> plugins, ObjectProvider<ServiceProvisioner> others) {
        return new ProvisionerRegistry(
                plugins.orderedStream().toList(), others.orderedStream().toList());
    }

    @Bean
    PublishedCatalog publishedCatalog(
            BrokerProperties properties, ResourceLoader resources, ProvisionerRegistry provisioners) {
        Resource resource = resources.getResource(properties.catalog());
        try (InputStream in = resource.getInputStream()) {
            PublishedCatalog published = new PublishedCatalog(
                    CatalogLoader.load(in, properties.catalog()), provisioners, properties.catalog());
            if (published.catalog().services().isEmpty()) {
                throw new MissingSettingsException(List.of("backing services for the plans of " + properties.catalog()
                        + ": servers under paasbroker.local.* or a cloud provisioner's settings (the log names each"
                        + " plan not published and why)"));
            }
            return published;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalog " + properties.catalog(), e);
        }
    }

    @Bean
    org.springframework.cloud.servicebroker.model.catalog.Catalog osbCatalog(PublishedCatalog catalog) {
        return OsbCatalogMapper.toOsb(catalog.catalog());
    }

    @Bean
    @DependsOn("flywayInitializer")
    CredentialStore credentialStore(BrokerProperties properties, JdbcClient jdbc, DataDirectory data) {
        return switch (properties.credentials().store()) {
            case "encrypted-jdbc" -> encryptedJdbc(properties, jdbc, data);
            case "vault" ->
                new VaultCredentialStore(vaultSettings(properties.credentials().vault()));
            default ->
                throw new IllegalArgumentException("paasbroker.credentials.store must be encrypted-jdbc or vault, not '"
                        + properties.credentials().store() + "'");
        };
    }

    private static EncryptedJdbcCredentialStore encryptedJdbc(
            BrokerProperties properties, JdbcClient jdbc, DataDirectory data) {
        BrokerProperties.EncryptedJdbc settings = properties.credentials().encryptedJdbc();
        List<EncryptionKey> keys = new ArrayList<>();
        String active;
        if (settings.keys() == null || settings.keys().isEmpty()) {
            if (!properties.embedded().enabled()) {
                throw new IllegalArgumentException("configure paasbroker.credentials.encrypted-jdbc.keys (id and a"
                        + " base64 AES-256 secret each) and active-key, or use the vault credential store");
            }
            Properties generated = data.secretProperties("credential-key.properties", () -> {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Properties initial = new Properties();
                initial.setProperty(
                        "id", "embedded-" + Passwords.generate().substring(0, 8).toLowerCase());
                initial.setProperty("secret", Base64.getEncoder().encodeToString(key));
                return initial;
            });
            keys.add(EncryptionKey.fromBase64(generated.getProperty("id"), generated.getProperty("secret")));
            active = generated.getProperty("id");
        } else {
            settings.keys().forEach(k -> keys.add(EncryptionKey.fromBase64(k.id(), k.secret())));
            active = settings.activeKey() == null ? keys.get(0).id() : settings.activeKey();
        }
        EncryptedJdbcCredentialStore store = new EncryptedJdbcCredentialStore(jdbc, keys, active);
        store.verifyKeys();
        store.rotate();
        return store;
    }

    private static VaultSettings vaultSettings(BrokerProperties.Vault vault) {
        return new VaultSettings(
                vault.address(),
                vault.kvMount(),
                vault.pathPrefix(),
                vault.namespace(),
                vault.token(),
                vault.appRoleMount(),
                vault.roleId(),
                vault.secretId(),
                vault.timeout());
    }

    @Bean
    FilterRegistrationBean<RequestIdentityFilter> requestIdentityFilter() {
        FilterRegistrationBean<RequestIdentityFilter> registration =
                new FilterRegistrationBean<>(new RequestIdentityFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestLogFilter> requestLogFilter() {
        FilterRegistrationBean<RequestLogFilter> registration = new FilterRegistrationBean<>(new RequestLogFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2); // around everything that may refuse the request
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiVersionFilter> apiVersionFilter() {
        FilterRegistrationBean<ApiVersionFilter> registration = new FilterRegistrationBean<>(new ApiVersionFilter());
        registration.setOrder(0); // after Spring Security (-100): an unauthenticated caller learns nothing more
        return registration;
    }

    @Bean
    FilterRegistrationBean<CatalogDocumentFilter> catalogDocumentFilter(
            ObjectMapper json,
            org.springframework.cloud.servicebroker.model.catalog.Catalog osbCatalog,
            PublishedCatalog catalog) {
        List<Plan> plans = catalog.catalog().services().stream()
                .flatMap(s -> s.plans().stream())
                .toList();
        FilterRegistrationBean<CatalogDocumentFilter> registration =
                new FilterRegistrationBean<>(new CatalogDocumentFilter(json, osbCatalog, plans));
        registration.setOrder(1); // after the API-version check
        return registration;
    }

    @Bean
    FilterRegistrationBean<OsbInputFilter> osbInputFilter(BrokerProperties properties, ObjectMapper json) {
        FilterRegistrationBean<OsbInputFilter> registration = new FilterRegistrationBean<>(
                new OsbInputFilter(properties.requests().maxBodySize().toBytes(), json));
        registration.setOrder(2); // after the API-version check, before any controller reads the request
        return registration;
    }

    @Bean
    FilterRegistrationBean<PlatformOwnershipFilter> platformOwnershipFilter(
            InstanceRepository instances, PlatformAuthenticationProvider platforms) {
        FilterRegistrationBean<PlatformOwnershipFilter> registration =
                new FilterRegistrationBean<>(new PlatformOwnershipFilter(instances));
        registration.setOrder(3); // after the input checks; within Spring Security's, which knows the caller
        registration.setEnabled(platforms.platformCount() > 1);
        return registration;
    }

    @Bean
    static BeanPostProcessor monoAnsweredInRequestThread() {
        return MonoAnsweredInRequestThread.installer();
    }

    @Bean
    FilterRegistrationBean<ServerTimingFilter> serverTimingFilter() {
        FilterRegistrationBean<ServerTimingFilter> registration =
                new FilterRegistrationBean<>(new ServerTimingFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1); // ahead of Spring Security: its time is the broker's
        return registration;
    }
}
