package io.paasbroker.provisioner.aws.boot;

import io.paasbroker.provisioner.aws.AwsAccount;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The aws provisioner's section, {@code paasbroker.aws.*}: the accounts it makes resources in. The broker's own AWS
 * credentials come from the SDK's default chain (instance profile, IRSA web identity, environment), never from here.
 *
 * @param namePrefix what the identifiers of every resource the broker makes start with, and its
 *     {@code paasbroker:broker} tag: a letter, then letters, digits and hyphens, at most 20
 * @param accounts by the name plans give ({@code account}; {@code default} when a plan names none)
 */
@ConfigurationProperties("paasbroker.aws")
public record AwsProperties(@DefaultValue("pb") String namePrefix, Map<String, Account> accounts) {

    public AwsProperties {
        accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
        if (!namePrefix.matches("[a-z][a-z0-9-]{0,19}") || namePrefix.endsWith("-")) {
            throw new IllegalArgumentException("paasbroker.aws.name-prefix must be a lowercase letter, then lowercase"
                    + " letters, digits and hyphens (not last), at most 20: '" + namePrefix + "' is not");
        }
    }

    /**
     * One account: see {@link AwsAccount}.
     *
     * @param endpoints API endpoints by service name ({@code rds}, {@code elasticache}, {@code es}, {@code sts}, {@code secretsmanager}, ...), for VPC endpoints or the test bed
     */
    public record Account(
            String region,
            String roleArn,
            String externalId,
            Map<String, URI> endpoints,
            String rdsCaCertificate,
            String cacheCaCertificate,
            String searchCaCertificate) {}

    /** The accounts, each under its name. */
    public Map<String, AwsAccount> awsAccounts() {
        Map<String, AwsAccount> result = new TreeMap<>();
        accounts.forEach((name, account) -> result.put(
                name,
                new AwsAccount(
                        name,
                        account.region(),
                        account.roleArn(),
                        account.externalId(),
                        account.endpoints(),
                        account.rdsCaCertificate(),
                        account.cacheCaCertificate(),
                        account.searchCaCertificate())));
        return result;
    }
}
