package io.paasbroker.provisioner.local.common;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.AdminPasswordRotation;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The admins of the servers one provisioner is configured with, by server name: what a plan's {@code server}
 * property may name, and the admin that serves it. Rotates each server's admin password on request.
 *
 * @param <A> one engine's admin
 */
public final class ServerAdmins<A extends ServerAdmin> implements AdminPasswordRotation, AutoCloseable {

    /** How a server's answer to a health probe counts: up, with what runs there, or a problem. */
    public record Status(boolean up, String text) {

        public static Status up(String text) {
            return new Status(true, text);
        }

        public static Status problem(String text) {
            return new Status(false, text);
        }
    }

    private final String product;
    private final Function<Plan, String> planServer;
    private final Map<String, A> admins = new TreeMap<>();

    private ServerAdmins(String product, Function<Plan, String> planServer) {
        this.product = product;
        this.planServer = planServer;
    }

    /**
     * An admin for each server; two servers with one name are refused, and the admins opened so far are closed.
     *
     * @param product the engine's name in messages: {@code MySQL}
     * @param planServer the server a plan's provisioner properties name
     */
    public static <S, A extends ServerAdmin> ServerAdmins<A> uniquelyNamed(
            String product,
            List<S> servers,
            Function<S, String> name,
            Function<S, A> admin,
            Function<Plan, String> planServer) {
        ServerAdmins<A> result = new ServerAdmins<>(product, planServer);
        for (S server : servers) {
            String key = name.apply(server);
            if (result.admins.containsKey(key)) {
                result.close();
                throw new IllegalArgumentException("two " + product + " servers are named '" + key + "'");
            }
            result.admins.put(key, admin.apply(server));
        }
        return result;
    }

    /** Checks, for {@code plan}'s start-up check, that its {@code server} property names a configured server. */
    public void require(Plan plan, String server) {
        if (server == null || !admins.containsKey(server)) {
            throw new InvalidPlanException("plan '" + plan.name() + "' (" + plan.id() + "): provisioner property "
                    + "'server' must name a configured " + product + " server, one of " + admins.keySet() + ", not '"
                    + server + "'");
        }
    }

    /**
     * As {@link #require(Plan, String)}, and, for a plan whose logins must use TLS ({@code require_tls}), that the
     * server offers it.
     */
    public void require(Plan plan, String server, boolean requireTls) {
        require(plan, server);
        if (requireTls && !admins.get(server).tls().enabled()) {
            throw new InvalidPlanException("plan '" + plan.name() + "' (" + plan.id() + "): require_tls needs a server"
                    + " that offers TLS, and " + product + " server '" + server + "' is configured without it"
                    + " (tls: true)");
        }
    }

    /** Refuses a plan change to a plan on another server: an instance's data stays on the server it was made on. */
    public void requireSameServer(Plan fromPlan, Plan toPlan) {
        String from = planServer.apply(fromPlan);
        String to = planServer.apply(toPlan);
        if (!from.equals(to)) {
            throw new PlanChangeRefusedException("a plan change cannot move the instance's data from " + product
                    + " server '" + from + "' to '" + to + "': choose a plan on the same server, or create a new"
                    + " instance of the other plan and copy the data");
        }
    }

    /**
     * The admin of the server the instance is on: the one its provision recorded among its outputs ({@code server}),
     * or, before a provision has recorded one, the one its plan names. A plan an operator points at another server
     * sends new instances there; the existing ones stay where they are.
     */
    public A admin(InstanceRequest instance) {
        String recorded = instance.outputs().get("server");
        return admin(recorded != null ? recorded : planServer.apply(instance.plan()));
    }

    /** The admin of the server named {@code server}. */
    public A admin(String server) {
        A admin = admins.get(server);
        if (admin == null) {
            throw new InvalidPlanException("no " + product + " server named '" + server + "' is configured");
        }
        return admin;
    }

    @Override
    public boolean acceptsAdminPassword(String server, String password) {
        return admin(server).acceptsPassword(password);
    }

    @Override
    public void rotateAdminPassword(String server, String newPassword) {
        admin(server).changePassword(newPassword);
    }

    @Override
    public void useAdminPassword(String server, String password) {
        admin(server).usePassword(password);
    }

    /** Probes every server; a server whose probe throws has the exception's message as its problem. */
    public Health health(Function<A, Status> probe) {
        Map<String, String> problems = new TreeMap<>();
        Map<String, String> up = new TreeMap<>();
        admins.forEach((name, admin) -> {
            try {
                Status status = probe.apply(admin);
                if (status.up()) {
                    up.put(name, status.text());
                } else {
                    problems.put(name, status.text());
                }
            } catch (RuntimeException e) {
                problems.put(name, e.getMessage());
            }
        });
        return new Health(problems, up);
    }

    @Override
    public void close() {
        admins.values().forEach(ServerAdmin::close);
    }
}
