package io.paasbroker.provisioner.aws;

import io.paasbroker.provisioner.Health;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Whether a service answers in each configured account's region: one cheap read each. */
public final class AwsHealth {

    private AwsHealth() {}

    /** {@code service}: its name in the report ({@code rds}); {@code read}: the read, in an account's region. */
    public static Health of(String service, AwsClients clients, Consumer<AwsAccount> read) {
        Map<String, String> problems = new TreeMap<>();
        Map<String, String> up = new TreeMap<>();
        clients.accounts().values().forEach(account -> {
            String name = service + " " + account.name() + " " + account.region();
            try {
                read.accept(account);
                up.put(name, "UP");
            } catch (RuntimeException e) {
                problems.put(name, e.getMessage());
            }
        });
        return new Health(problems, up);
    }
}
