package io.paasbroker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.bench.bare.BareBroker;
import io.paasbroker.bench.broker.BrokerUnderTest;
import io.paasbroker.bench.broker.EmbeddedPostgresAccess;
import io.paasbroker.bench.broker.SameProvisioners;
import io.paasbroker.bench.cycle.BenchedService;
import io.paasbroker.bench.cycle.Cycle;
import io.paasbroker.bench.cycle.CycleTargets;
import io.paasbroker.bench.cycle.IdleBetweenCalls;
import io.paasbroker.bench.cycle.MysqlService;
import io.paasbroker.bench.cycle.OpenSearchService;
import io.paasbroker.bench.cycle.PostgresService;
import io.paasbroker.bench.cycle.ProvisionerCycle;
import io.paasbroker.bench.cycle.RedisService;
import io.paasbroker.bench.cycle.S3Service;
import io.paasbroker.bench.floor.OwnCostFloors;
import io.paasbroker.bench.load.Limits;
import io.paasbroker.bench.load.LoadRunner;
import io.paasbroker.bench.load.Schedule;
import io.paasbroker.bench.osb.OsbPlatform;
import io.paasbroker.bench.process.CpuMeter;
import io.paasbroker.bench.process.CpuMeters;
import io.paasbroker.bench.process.JavaProcess;
import io.paasbroker.bench.process.MachineLoad;
import io.paasbroker.bench.report.Table;
import io.paasbroker.bench.report.Target;
import io.paasbroker.bench.state.StateStoreFiller;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The broker against its floors, in one run so that ratios compare like with like on a noisy machine: the catalog
 * against a bare framework app, each service's cycle through the broker against its provisioner called directly on
 * the same server, and optionally the cycle again with a full state store. Prints a table; asserts nothing.
 */
public final class Benchmark {

    private static final String HEAP = "256m";
    private static final int[] CYCLE_CONCURRENCY = {1, 8};
    private static final int[] CATALOG_CONCURRENCY = {1, 32};
    private static final Schedule CATALOG = Schedule.of(Duration.ofSeconds(1), 5, Duration.ofSeconds(1));
    private static final Schedule SEQUENTIAL_CYCLES = Schedule.of(Duration.ofSeconds(2), 7, Duration.ofMillis(1500));
    private static final Schedule CONCURRENT_CYCLES = Schedule.of(Duration.ofSeconds(3), 3, Duration.ofSeconds(4));
    /**
     * For a service whose cycle takes seconds (OpenSearch): one cycle of each side to warm up, then every slot holds
     * about one cycle per thread (a cycle admitted before the slot ends runs to its end), over fewer rounds.
     */
    private static final Schedule SLOW_SEQUENTIAL_CYCLES = Schedule.of(Duration.ofSeconds(2), 5, Duration.ofSeconds(3));

    private static final Schedule SLOW_CONCURRENT_CYCLES = Schedule.of(Duration.ofSeconds(2), 2, Duration.ofSeconds(3));
    /** A longer warm-up: going from c=8 back to c=1 recompiles, and the first slot would take it all. */
    private static final Schedule STATE_STORE_CYCLES = Schedule.of(Duration.ofSeconds(5), 6, Duration.ofSeconds(2));
    /** Before the catalog is measured: a cold JIT on two cores would compete with both apps. */
    private static final Duration CATALOG_WARM_UP = Duration.ofSeconds(3);

    /**
     * The pause of the paced Redis cycle: about what PostgreSQL's steps leave the broker waiting (4-10 ms to bind,
     * unbind and deprovision, 40-400 ms to provision, on this machine).
     */
    private static final Duration IDLE_BEFORE_EACH_CALL = Duration.ofMillis(20);

    /** The one the state store is measured with, and whose server's CPU counts among this run's own processes. */
    private static final BenchedService POSTGRES = new PostgresService();

    /**
     * In the order they are measured, unless {@code -Dbench.services} picks some. Each gets a third of the warm-up, for
     * its own provisioner's code, after the whole warm-up has run the path they share (see {@link #warmUpSharedPath}).
     */
    private static final List<BenchedService> SERVICES = List.of(
            POSTGRES,
            new MysqlService(),
            new RedisService(),
            new IdleBetweenCalls(new RedisService(), IDLE_BEFORE_EACH_CALL),
            new S3Service(),
            new OpenSearchService());

    private final Settings settings;
    private final List<BenchedService> services;
    private final StringBuilder report = new StringBuilder();
    private final List<Target> targets = new ArrayList<>();
    private final long start = System.nanoTime();

    private Benchmark(Settings settings) {
        this.settings = settings;
        this.services = selected(settings.services());
    }

    public static void main(String[] args) throws Exception {
        new Benchmark(Settings.fromSystemProperties()).run();
    }

    /** Prints what was measured even when a phase fails, then the failure. */
    private void run() throws Exception {
        try {
            measure();
        } finally {
            section("Targets");
            report.append(Target.table(targets).render());
            report.append("\nwhole run: ")
                    .append(seconds(Duration.ofNanos(System.nanoTime() - start)))
                    .append(" s\n");
            System.out.println();
            System.out.print(report);
        }
    }

    private void measure() throws Exception {
        progress("starting the broker (fresh embedded default under " + settings.workDirectory() + ")");
        try (BrokerUnderTest broker = BrokerUnderTest.start(settings.brokerJar(), settings.workDirectory(), HEAP)) {
            progress("broker ready in " + seconds(broker.startup()) + " s, pid "
                    + broker.process().pid());
            section("paasbroker benchmark, " + LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS) + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version()
                    + "; broker and bare app " + String.join(" ", JavaProcess.serverOptions(HEAP))
                    + ". Each comparison alternates its two sides in rounds"
                    + " of short slots, so both sample the same minutes of a noisy machine; rates, medians, p99 and"
                    + " ratios are over all samples of a side, (per round) is the spread of single rounds");
            MachineLoad machine = MachineLoad.start();
            CpuMeter ours = ownProcesses(broker);
            long oursBefore = ours.cpuNanos();
            // the catalog first: its tens of thousands of requests also warm the broker's HTTP path for the cycles
            long bareCpu = measureCatalog(broker);
            measureCycles(broker);
            long brokerRss = broker.process().residentMegabytes();
            measureOwnCostFloors(broker);
            if (settings.instances() > 0) {
                measureFilledStateStore(broker, POSTGRES);
            } else {
                targets.add(new Target(
                        "at 10,000 instances no more than 10 % slower than empty",
                        "add -Dbench.instances=10000", null));
            }
            report.append('\n')
                    .append(machine.summary(ours.cpuNanos() - oursBefore + bareCpu))
                    .append('\n');
            report.append(String.format(
                    "broker: ready %s s after start (fresh data directory: initdb and every embedded server"
                            + " included); resident memory after the cycles %d MB; log: %s%n",
                    seconds(broker.startup()), brokerRss, broker.process().log()));
        }
    }

    /** Measures the catalog against the bare app; returns the CPU the bare app used, start-up included. */
    private long measureCatalog(BrokerUnderTest broker) {
        String published = broker.platform().catalog();
        Set<String> planIds = planIds(published);
        progress("starting the bare framework app with the broker's " + planIds.size() + " published plans");
        try (BareBroker bare = BareBroker.start(planIds, settings.workDirectory(), HEAP)) {
            String served = bare.platform().catalog();
            progress("warming both apps up at concurrency 32");
            Limits warmUp = Limits.of(Integer.MAX_VALUE, CATALOG_WARM_UP);
            LoadRunner.run(32, warmUp, broker.platform()::catalog);
            LoadRunner.run(32, warmUp, bare.platform()::catalog);
            List<CatalogBenchmark.Comparison> comparisons = new ArrayList<>();
            for (int concurrency : CATALOG_CONCURRENCY) {
                progress("catalog at concurrency " + concurrency);
                comparisons.add(CatalogBenchmark.compare(
                        catalogApp(broker.platform(), broker.process().pid()),
                        catalogApp(bare.platform(), bare.pid()),
                        concurrency,
                        CATALOG));
            }
            section("Catalog: GET /v2/catalog; broker with basic auth and X-Broker-API-Version; bare: a Spring Cloud"
                    + " Open Service Broker app, no security, serving "
                    + (published.equals(served)
                            ? "the same JSON (" + published.length() + " bytes)"
                            : "NOT the same JSON (broker " + published.length() + " bytes, bare " + served.length()
                                    + ")")
                    + ". CPU per request: the app answering, and this benchmark's HTTP client");
            report.append(CatalogBenchmark.table(comparisons).render());
            report.append(CatalogBenchmark.cpuRatios(comparisons));
            report.append(CatalogBenchmark.errors(comparisons));
            report.append(String.format("bare app: resident memory after its runs %d MB%n", bare.residentMegabytes()));
            long bareCpu = CpuMeter.ofProcess(bare.pid()).cpuNanos();
            for (CatalogBenchmark.Comparison c : comparisons) {
                targets.add(new Target(
                        "catalog >= 80 % of the bare framework app (c=" + c.concurrency() + ")",
                        String.format("%.0f %% (rounds %s)", 100 * c.ratio(), c.ratioRange()),
                        c.ratio() >= 0.80));
            }
            return Math.max(0, bareCpu);
        }
    }

    private void measureCycles(BrokerUnderTest broker) throws Exception {
        Set<String> published = planIds(broker.platform().catalog());
        warmUpSharedPath(broker, published);
        for (BenchedService service : services) {
            if (!published.contains(service.planId())) {
                // the embedded OpenSearch node may fail to start (memory, time): the broker then runs without it
                section(service.name() + ": NOT measured, the broker does not publish its plan (see its log: "
                        + broker.process().log() + ")");
                continue;
            }
            List<CycleComparison> comparisons = new ArrayList<>();
            Cycle throughBroker = service.throughBroker(broker.platform());
            // the path every cycle shares is warm: what is left is the service's own provisioner
            Duration warmUp = settings.brokerWarmUp().dividedBy(3);
            int warmUpConcurrency = service.slowCycles() ? 1 : 8;
            progress(service.name() + ": warming the broker up with cycles at concurrency " + warmUpConcurrency
                    + " for " + seconds(warmUp) + " s");
            LoadRunner.run(warmUpConcurrency, Limits.of(Integer.MAX_VALUE, warmUp), throughBroker::run);
            Optional<String> sameCode;
            Optional<CycleComparison> toFloor = Optional.empty();
            try (ProvisionerCycle direct = service.direct(broker.dataDirectory())) {
                sameCode = SameProvisioners.check(broker.jar(), direct.provisionerClass());
                for (int concurrency : CYCLE_CONCURRENCY) {
                    progress(service.name() + " cycles at concurrency " + concurrency);
                    comparisons.add(CycleBenchmark.compare(
                            service.name(),
                            throughBroker,
                            direct,
                            concurrency,
                            schedule(service, concurrency),
                            cycleCpu(broker, service)));
                }
                Optional<BenchedService.SqlFloor> floor = service.sqlFloor(broker.dataDirectory());
                if (floor.isPresent()) {
                    progress(service.name() + ": the raw cycle against its bare SQL at concurrency 1");
                    try (BenchedService.SqlFloor bare = floor.get()) {
                        toFloor = Optional.of(CycleBenchmark.compare(
                                service.name() + " raw vs SQL",
                                direct,
                                bare,
                                1,
                                schedule(service, 1),
                                cycleCpu(broker, service)));
                    }
                }
            }
            section(service.name() + " cycle = provision + bind + unbind + deprovision; broker: the four OSB calls,"
                    + " synchronous; raw: " + service.rawSide() + ". CPU per cycle: the broker's JVM, "
                    + service.serverCpuColumn() + ", this benchmark's JVM (the HTTP client, or the provisioner when"
                    + " raw)"
                    + (service.slowCycles()
                            ? "; its cycles take seconds: " + SLOW_SEQUENTIAL_CYCLES.rounds() + " rounds at c=1, "
                                    + SLOW_CONCURRENT_CYCLES.rounds() + " at c=8"
                            : ""));
            report.append(CycleBenchmark.table(comparisons).render());
            report.append(CycleBenchmark.errors(comparisons));
            sameCode.ifPresent(warning -> report.append(warning).append('\n'));
            for (CycleComparison c : comparisons) {
                report.append('\n').append(CycleBenchmark.steps(c).render());
            }
            targets.addAll(cycleTargets(service, comparisons));
            toFloor.ifPresent(c -> {
                section(service.name() + ": the raw cycle (its provisioner in-process, first row) against the bare SQL"
                        + " of a cycle on one admin connection (second row), same server, alternating");
                report.append(CycleBenchmark.table(List.of(c)).render());
                targets.add(floorTarget(service, c));
            });
        }
    }

    /**
     * The floors under the broker's own cost, on the Redis plan with the paced cycles' idle moments: see {@link
     * OwnCostFloors}. Starts the bare app again, with the broker's plans.
     */
    private void measureOwnCostFloors(BrokerUnderTest broker) throws Exception {
        BenchedService fast = new RedisService();
        Set<String> published = planIds(broker.platform().catalog());
        if (!published.contains(fast.planId())) {
            section("Floors of the broker's own cost: NOT measured, the broker does not publish Redis");
            return;
        }
        progress("floors of the broker's own cost: the bare app's calls and the state store's commits, paced");
        try (BareBroker bare = BareBroker.start(published, settings.workDirectory(), HEAP)) {
            String table = OwnCostFloors.measure(
                    broker.platform(),
                    bare.platform(),
                    fast.serviceId(),
                    fast.planId(),
                    EmbeddedPostgresAccess.of(broker.dataDirectory()),
                    IDLE_BEFORE_EACH_CALL);
            section("Floors of the broker's own cost per cycle (four calls), measured like it, " + fast.name()
                    + "'s plan, the machine idle before each call as a slow backing step leaves it; the three sides"
                    + " alternate in rounds");
            report.append(table);
        }
    }

    /**
     * Runs the broker's HTTP, OSB and state-store path, which every cycle shares, until its JIT has compiled it: with
     * S3's cycles, whose backing work is a few milliseconds inside the broker, so that a few thousand of them fit in
     * the warm-up. PostgreSQL's cycles, a third of a second each, would leave the compiler running into the measured
     * cycles (its CPU showed in the broker's JIT column).
     */
    private void warmUpSharedPath(BrokerUnderTest broker, Set<String> published) {
        BenchedService fast = new S3Service();
        if (!published.contains(fast.planId())) {
            return;
        }
        progress("warming the broker's shared path up with " + fast.name() + " cycles at concurrency 1 and 8 for "
                + seconds(settings.brokerWarmUp()) + " s");
        Cycle cycle = fast.throughBroker(broker.platform());
        Limits half = Limits.of(Integer.MAX_VALUE, settings.brokerWarmUp().dividedBy(2));
        LoadRunner.run(8, half, cycle::run);
        LoadRunner.run(1, half, cycle::run);
    }

    private static Schedule schedule(BenchedService service, int concurrency) {
        if (service.slowCycles()) {
            return concurrency == 1 ? SLOW_SEQUENTIAL_CYCLES : SLOW_CONCURRENT_CYCLES;
        }
        return concurrency == 1 ? SEQUENTIAL_CYCLES : CONCURRENT_CYCLES;
    }

    /**
     * The services {@code names} picks (lower-case names, as {@code -Dbench.services} lists them), in run order; all
     * when it is empty.
     */
    private static List<BenchedService> selected(Set<String> names) {
        if (names.isEmpty()) {
            return SERVICES;
        }
        List<BenchedService> picked = SERVICES.stream()
                .filter(s -> names.contains(s.name().toLowerCase(Locale.ROOT)))
                .toList();
        Set<String> unknown = new LinkedHashSet<>(names);
        SERVICES.forEach(s -> unknown.remove(s.name().toLowerCase(Locale.ROOT)));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("-Dbench.services: no service " + unknown + "; known: "
                    + SERVICES.stream()
                            .map(s -> s.name().toLowerCase(Locale.ROOT))
                            .toList());
        }
        return picked;
    }

    private static Target floorTarget(BenchedService service, CycleComparison toFloor) {
        double limit = service.targets().maxRatioToSqlFloor();
        double[] interval = toFloor.ratioInterval();
        return Target.atMost(
                service.name() + " raw cycle <= " + number(limit) + "x its bare SQL (c=1)",
                String.format("%.2fx (90 %% CI %.2f-%.2f)", toFloor.ratio(), interval[0], interval[1]),
                toFloor.ratio(),
                interval,
                limit);
    }

    /** What the issue asks of a service's cycle, judged on its comparisons (concurrency 1 first, then 8). */
    private static List<Target> cycleTargets(BenchedService service, List<CycleComparison> comparisons) {
        CycleTargets goals = service.targets();
        List<Target> judged = new ArrayList<>();
        if (goals.maxRatioToRaw() != null) {
            for (CycleComparison c : comparisons) {
                double[] interval = c.ratioInterval();
                judged.add(Target.atMost(
                        service.name() + " cycle through the broker <= " + number(goals.maxRatioToRaw()) + "x raw (c="
                                + c.concurrency() + ")",
                        String.format("%.2fx (90 %% CI %.2f-%.2f)", c.ratio(), interval[0], interval[1]),
                        c.ratio(),
                        interval,
                        goals.maxRatioToRaw()));
            }
        }
        if (goals.maxOwnMillis() != null) {
            CycleComparison sequential = comparisons.get(0);
            double[] ownCost = sequential.ownCostInterval();
            judged.add(Target.atMost(
                    "broker's own cost per " + service.name() + " cycle (4 calls' latency - backing) <= "
                            + number(goals.maxOwnMillis()) + " ms median at c=" + sequential.concurrency(),
                    String.format(
                            "%s ms (90 %% CI %s to %s)",
                            Table.ms(sequential.ownCostMillis()), Table.ms(ownCost[0]), Table.ms(ownCost[1])),
                    sequential.ownCostMillis(),
                    ownCost,
                    goals.maxOwnMillis()));
        }
        if (goals.minCyclesPerSecond() != null) {
            CycleComparison concurrent = comparisons.get(comparisons.size() - 1);
            double rate = concurrent.broker().perSecond();
            double[] rounds = concurrent.broker().perSecondRange();
            judged.add(Target.atLeast(
                    service.name() + " >= " + number(goals.minCyclesPerSecond()) + " cycles/s through the broker (c="
                            + concurrent.concurrency() + ")",
                    String.format(
                            "%s cycles/s (rounds %s-%s)",
                            Table.rate(rate), Table.rate(rounds[0]), Table.rate(rounds[1])),
                    rate,
                    rounds,
                    goals.minCyclesPerSecond()));
        }
        return judged;
    }

    private void measureFilledStateStore(BrokerUnderTest broker, BenchedService service) throws Exception {
        int instances = settings.instances();
        progress(String.format(
                "%s: cycles at concurrency 1, the state store switching between as it is and %,d more instances",
                service.name(), instances));
        StateStoreFiller filler = new StateStoreFiller(
                EmbeddedPostgresAccess.of(broker.dataDirectory()), service.serviceId(), service.planId());
        StateStoreBenchmark.Result result = StateStoreBenchmark.compare(
                service.throughBroker(broker.platform()),
                filler,
                instances,
                STATE_STORE_CYCLES,
                cycleCpu(broker, service));
        section(String.format(
                "State store with %,d more provisioned instances (rows inserted, then deleted and vacuumed, every"
                        + " round); each filled slot against the slot as it is next to it",
                instances));
        report.append(StateStoreBenchmark.table(service.name(), result).render());
        Failures.append(report, "as it is", result.empty());
        Failures.append(report, "with more instances", result.filled());
        report.append(String.format(
                "median cycle with them %+.0f %% (single rounds: %s)%n%n", 100 * result.slowdown(), result.range()));
        report.append(StateStoreBenchmark.steps(service.name(), result).render());
        double[] interval = result.slowdownInterval();
        targets.add(Target.atMost(
                String.format("at %,d instances no more than 10 %% slower than empty (c=1)", instances),
                String.format(
                        "%+.0f %% (90 %% CI %+.0f to %+.0f %%)",
                        100 * result.slowdown(), 100 * interval[0], 100 * interval[1]),
                result.slowdown(),
                interval,
                0.10));
    }

    private static CpuMeters cycleCpu(BrokerUnderTest broker, BenchedService service) {
        return new CpuMeters()
                .with(CycleBenchmark.BROKER, CpuMeter.ofProcess(broker.process().pid()))
                .with(
                        CycleBenchmark.BROKER_JIT,
                        CpuMeter.ofJitCompiler(broker.process().pid()))
                .with(CycleBenchmark.SERVER, service.serverCpu(broker.dataDirectory()))
                .with(CycleBenchmark.BENCH, CpuMeter.ofThisJvm());
    }

    /**
     * The CPU of everything this run started except the bare app: the broker and what it forks (MariaDB, Redis and the
     * OpenSearch node are its children), PostgreSQL (detached from it by pg_ctl), this JVM.
     */
    private static CpuMeter ownProcesses(BrokerUnderTest broker) {
        CpuMeter brokerTree = CpuMeter.ofServerTree(broker.process().pid());
        CpuMeter postgres = POSTGRES.serverCpu(broker.dataDirectory());
        CpuMeter bench = CpuMeter.ofThisJvm();
        return () -> brokerTree.cpuNanos() + postgres.cpuNanos() + bench.cpuNanos();
    }

    private static CatalogBenchmark.App catalogApp(OsbPlatform platform, long pid) {
        return new CatalogBenchmark.App(
                platform,
                new CpuMeters()
                        .with(CatalogBenchmark.SERVER, CpuMeter.ofProcess(pid))
                        .with(CatalogBenchmark.CLIENT, CpuMeter.ofThisJvm()));
    }

    private static Set<String> planIds(String catalogJson) {
        try {
            Set<String> ids = new LinkedHashSet<>();
            for (JsonNode service : new ObjectMapper().readTree(catalogJson).path("services")) {
                service.path("plans").forEach(plan -> ids.add(plan.path("id").asText()));
            }
            return ids;
        } catch (Exception e) {
            throw new IllegalStateException("the broker's catalog is not JSON: " + catalogJson, e);
        }
    }

    private void section(String title) {
        report.append('\n').append(title).append('\n');
    }

    private void progress(String message) {
        System.out.println("# " + seconds(Duration.ofNanos(System.nanoTime() - start)) + " s  " + message);
    }

    /** 1.25 as "1.25", 10.0 as "10". */
    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f", duration.toMillis() / 1000.0);
    }
}
