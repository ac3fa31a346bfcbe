package io.paasbroker.provisioner.local.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.AdminPasswordRotation;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.UpdateRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a provisioner owes about the servers the operator configures it with, beyond the provisioner contract: a plan
 * names one of them, a server that is down fails a step as worth retrying without showing its password, and the
 * admin's password rotates while steps run, none of them failing.
 *
 * @param <P> the provisioner, which the tests close when they made it themselves
 */
public abstract class ServerProvisionerContract<P extends ServiceProvisioner & AutoCloseable>
        extends ServiceProvisionerContract {

    /** A second admin account on the test's server, dropped when closed with the provisioner it administers. */
    protected interface SecondAdmin<P> extends AutoCloseable {

        /** A provisioner whose one server, {@code rotating}, is the test's server as this account administers it. */
        P provisioner();

        /** Whether the server takes a new login as this account with {@code password}, asked by a client of its own. */
        boolean logsIn(String password);

        /**
         * A login as this account with {@code password}, kept open; empty for a server that authenticates every request
         * and keeps no login open (OpenSearch's REST API).
         */
        Optional<KeptLogin> keepLogin(String password);

        @Override
        void close();
    }

    /** An admin's connection, as an operator's tool keeps one open. */
    protected interface KeptLogin extends AutoCloseable {

        /** Whether the connection still answers a command. */
        boolean answers();

        @Override
        void close();
    }

    private final String product;
    private final String unknownPropertyKey;

    /**
     * @param product how failures name this engine's servers: {@code PostgreSQL}
     * @param unknownPropertyKey a provisioner property that no plan of this engine may set
     */
    protected ServerProvisionerContract(String product, String unknownPropertyKey) {
        this.product = product;
        this.unknownPropertyKey = unknownPropertyKey;
    }

    /** The test's plan with {@code properties} as its provisioner properties. */
    protected abstract Plan planWith(Map<String, Object> properties);

    /** The test's plan on its server, {@code shared}. */
    @Override
    protected Plan plan() {
        return planWith(Map.of("server", "shared"));
    }

    /** A provisioner whose one server, {@code name}, has nobody listening at its address. */
    protected abstract P onClosedPort(String name, String adminPassword) throws IOException;

    /** Creates a second admin account with {@code password} on the test's server. */
    protected abstract SecondAdmin<P> secondAdmin(String password);

    /** How often the password rotates while steps run: the window each rotation opens is short. */
    protected int rotationsDuringSteps() {
        return 10;
    }

    @Test
    void checkPlanAcceptsAPlanOnAConfiguredServer() {
        assertThatCode(() -> provisioner().checkPlan(planWith(Map.of("server", "shared"))))
                .doesNotThrowAnyException();
    }

    @Test
    void checkPlanRejectsAPlanNamingAnUnknownServerAndSaysWhichAreConfigured() {
        Plan plan = planWith(Map.of("server", "elsewhere"));

        assertThatThrownBy(() -> provisioner().checkPlan(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("plan '" + plan.name() + "' (" + plan.id() + ")")
                .hasMessageContaining("'elsewhere'")
                .hasMessageContaining("[shared]");
    }

    @Test
    void checkPlanRejectsAnUnknownPropertyByName() {
        Plan plan = planWith(Map.of("server", "shared", unknownPropertyKey, 5));

        assertThatThrownBy(() -> provisioner().checkPlan(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("plan '" + plan.name() + "' (" + plan.id() + ")")
                .hasMessageContaining(unknownPropertyKey);
    }

    @Test
    void aPlanChangeToAnotherServerIsRefusedUpFrontAndByTheUpdateAndTheDataStays() {
        String instance = provision();
        Credentials bound = bind(instance, newId());
        writeThenRead(bound, "stays where it is");
        Plan elsewhere = planWith(Map.of("server", "elsewhere"));
        InstanceRequest current = request(instance);
        InstanceRequest moved =
                new InstanceRequest(instance, elsewhere, current.parameters(), current.labels(), current.outputs());

        assertThatThrownBy(() -> provisioner().checkPlanChange(plan(), elsewhere))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining(product + " server 'shared' to 'elsewhere'");
        assertThatThrownBy(() -> provisioner().update(new UpdateRequest(moved, plan(), Map.of())))
                .isInstanceOf(PlanChangeRefusedException.class);
        assertThat(read(bound)).isEqualTo("stays where it is");
    }

    /** An operator may point a plan at another server: new instances go there, existing ones stay where they are. */
    @Test
    void anInstanceStaysOnItsServerWhenItsPlanIsPointedAtAnother() {
        String instance = provision();
        InstanceRequest made = request(instance);
        InstanceRequest repointed = new InstanceRequest(
                instance, planWith(Map.of("server", "elsewhere")), made.parameters(), made.labels(), made.outputs());
        BindRequest binding = new BindRequest(repointed, newId(), Map.of());

        Credentials credentials = provisioner().bind(binding);
        assertThat(writeThenRead(credentials, "on the server it was made on"))
                .isEqualTo("on the server it was made on");
        provisioner().unbind(binding);
        assertThatThrownBy(() -> read(credentials), "reading with the unbound binding's credentials");
        provisioner().deprovision(repointed);

        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    @Test
    void unreachableServerMakesProvisionRetryableAndNamesTheServerButNoPassword() throws Exception {
        String password = adminPassword();
        try (P unreachable = onClosedPort("down", password)) {
            assertThatThrownBy(() -> unreachable.provision(onServer("down")))
                    .isInstanceOf(BackingServiceUnavailableException.class)
                    .hasMessageContaining(product + " server 'down'")
                    .hasMessageNotContaining(password);
        }
    }

    @Test
    void backupFromAnUnreachableServerIsRetryableAndNamesNoPassword() throws Exception {
        String password = adminPassword();
        try (P unreachable = onClosedPort("down", password)) {
            assertThatThrownBy(() -> unreachable
                            .backups()
                            .orElseThrow()
                            .backup(onServer("down"), OutputStream.nullOutputStream()))
                    .isInstanceOf(BackingServiceUnavailableException.class)
                    .hasMessageContaining(product + " server 'down'")
                    .hasMessageNotContaining(password);
        }
    }

    @Test
    void afterAdminPasswordRotationTheServerTakesOnlyTheNewPasswordAndTheProvisionerKeepsServing() {
        String oldPassword = adminPassword();
        String newPassword = adminPassword();
        try (SecondAdmin<P> account = secondAdmin(oldPassword)) {
            P rotating = account.provisioner();
            AdminPasswordRotation rotation = rotating.adminPasswordRotation().orElseThrow();
            InstanceRequest before = onServer("rotating");
            rotating.provision(before);
            Credentials boundBefore = rotating.bind(new BindRequest(before, newId(), Map.of()));
            Optional<KeptLogin> keptOpen = account.keepLogin(oldPassword);

            rotation.rotateAdminPassword("rotating", newPassword);

            InstanceRequest after = onServer("rotating");
            rotating.provision(after);
            Credentials boundAfter = rotating.bind(new BindRequest(after, newId(), Map.of()));
            assertThat(writeThenRead(boundAfter, "after rotation")).isEqualTo("after rotation");
            assertThat(writeThenRead(boundBefore, "bound before")).isEqualTo("bound before");
            keptOpen.ifPresent(login -> {
                assertThat(login.answers()).as("a login kept open since before").isTrue();
                login.close();
            });
            assertThat(account.logsIn(oldPassword))
                    .as("a new login with the old password")
                    .isFalse();
            assertThat(account.logsIn(newPassword))
                    .as("a new login with the new password")
                    .isTrue();
            assertThat(rotation.acceptsAdminPassword("rotating", oldPassword)).isFalse();
            assertThat(rotation.acceptsAdminPassword("rotating", newPassword)).isTrue();
            rotating.deprovision(before);
            rotating.deprovision(after);
        }
    }

    /**
     * Steps of two threads, each a whole instance's life with a backup in it, while the password rotates, a cycle
     * apart: each login the provisioner makes meanwhile, pooled or its own, must be taken.
     */
    @Test
    void stepsRunningWhileTheAdminPasswordRotatesAllSucceed() throws Exception {
        try (SecondAdmin<P> account = secondAdmin(adminPassword())) {
            P rotating = account.provisioner();
            AdminPasswordRotation rotation = rotating.adminPasswordRotation().orElseThrow();
            AtomicBoolean rotated = new AtomicBoolean();
            AtomicInteger cycles = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int thread = 0; thread < 2; thread++) {
                    running.add(threads.submit(() -> {
                        do {
                            lifeOfAnInstance(rotating);
                            cycles.incrementAndGet();
                        } while (!rotated.get());
                        return null;
                    }));
                }
                for (int round = 1; round <= rotationsDuringSteps(); round++) {
                    awaitCycles(cycles, round, running);
                    rotation.rotateAdminPassword("rotating", adminPassword());
                }
                rotated.set(true);
                for (Future<?> thread : running) {
                    thread.get(5, TimeUnit.MINUTES);
                }
            } finally {
                rotated.set(true);
                threads.shutdownNow();
            }
        }
    }

    /**
     * With a lock one of {@code locked}'s sessions holds on its table: the instance's backup gives up within about
     * {@code lockWait}, saying what to do, and a backup of {@code other} is taken while it waits.
     */
    protected final void assertABackupStuckOnATenantsLockFailsSoonAndAlone(
            String locked, String other, Duration lockWait) throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            long started = System.nanoTime();
            Future<byte[]> stuck = background.submit(() -> backup(locked));

            byte[] otherBackup = backup(other);
            assertThat(stuck)
                    .as("the locked instance's backup is still waiting")
                    .isNotDone();
            assertThat(otherBackup).isNotEmpty();

            assertThatThrownBy(() -> stuck.get(lockWait.toSeconds() + 30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ProvisioningFailedException.class)
                    .cause()
                    .hasMessageContaining("holds a lock on one of its tables")
                    .hasMessageContaining("end it and back up again");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(lockWait.plusSeconds(15));
        } finally {
            background.shutdownNow();
        }
    }

    private void lifeOfAnInstance(P provisioner) {
        InstanceRequest instance = onServer("rotating");
        provisioner.provision(instance);
        BindRequest binding = new BindRequest(instance, newId(), Map.of());
        Credentials credentials = provisioner.bind(binding);
        assertThat(writeThenRead(credentials, "during rotation")).isEqualTo("during rotation");
        provisioner.backups().ifPresent(backups -> backups.backup(instance, OutputStream.nullOutputStream()));
        provisioner.unbind(binding);
        provisioner.deprovision(instance);
    }

    /** Waits until the steps have run {@code count} cycles; a thread that failed fails the test at once. */
    private static void awaitCycles(AtomicInteger cycles, int count, List<Future<?>> running) throws Exception {
        while (cycles.get() < count) {
            for (Future<?> thread : running) {
                if (thread.isDone()) {
                    thread.get();
                }
            }
            Thread.sleep(5);
        }
    }

    private InstanceRequest onServer(String server) {
        return new InstanceRequest(newId(), planWith(Map.of("server", server)), Map.of(), Map.of(), Map.of());
    }

    /** Long and mixed enough for any engine's password rules: OpenSearch's ask for each kind of character. */
    protected static String adminPassword() {
        return Passwords.generate() + "Aa1-";
    }
}
