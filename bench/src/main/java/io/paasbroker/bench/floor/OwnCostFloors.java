package io.paasbroker.bench.floor;

import io.paasbroker.bench.broker.EmbeddedPostgresAccess;
import io.paasbroker.bench.cycle.BrokerCycle;
import io.paasbroker.bench.cycle.Cycle;
import io.paasbroker.bench.load.Percentiles;
import io.paasbroker.bench.osb.OsbPlatform;
import io.paasbroker.bench.report.Table;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * What the broker's own cost per cycle is made of, with the machine idle before each call as a slow backing step
 * leaves it: two floors measured the same way, the four OSB calls on the bare framework app (HTTP, Spring and the OSB
 * framework, nothing else) and the state store's durable commits alone ({@link DurableWrites}), beside the broker's own
 * cost for the same four calls on a service whose backing work is a millisecond. The three sides alternate in rounds.
 */
public final class OwnCostFloors {

    private static final int ROUNDS = 5;
    private static final int CYCLES_PER_ROUND = 20;
    /** The bare app has only served the catalog so far: its OSB paths compile in a few thousand calls. */
    private static final int WARM_UP_CYCLES = 2000;

    private OwnCostFloors() {}

    /** The section's table; {@code serviceId}/{@code planId}: a plan both apps publish, of a fast service. */
    public static String measure(
            OsbPlatform broker,
            OsbPlatform bare,
            String serviceId,
            String planId,
            EmbeddedPostgresAccess stateStore,
            Duration idle)
            throws SQLException {
        try (DurableWrites writes = DurableWrites.open(stateStore)) {
            warmUp(new BrokerCycle(bare, serviceId, planId), WARM_UP_CYCLES);
            warmUp(new BrokerCycle(broker, serviceId, planId), WARM_UP_CYCLES / 4);
            for (int i = 0; i < WARM_UP_CYCLES / 10; i++) {
                writes.cycleNanos(Duration.ZERO);
            }
            Cycle barePaced = new BrokerCycle(bare, serviceId, planId, idle);
            Cycle brokerPaced = new BrokerCycle(broker, serviceId, planId, idle);
            Side bareSide = new Side(() -> barePaced.run().ownNanos());
            Side writesSide = new Side(() -> writes.cycleNanos(idle));
            Side brokerSide = new Side(() -> brokerPaced.run().ownNanos());
            for (int round = 0; round < ROUNDS; round++) {
                bareSide.round();
                writesSide.round();
                brokerSide.round();
            }
            double floors = bareSide.median() + writesSide.median();
            return new Table("side", "ms per cycle (median)", "(per round)")
                            .row(
                                    "bare framework app: the same four OSB calls, no security, nothing stored",
                                    Table.ms(bareSide.median()),
                                    bareSide.roundRange())
                            .row(
                                    "state store alone: " + DurableWrites.CALLS * DurableWrites.COMMITS_PER_CALL
                                            + " one-row commits, " + DurableWrites.COMMITS_PER_CALL + " per call",
                                    Table.ms(writesSide.median()),
                                    writesSide.roundRange())
                            .row("the two floors together", Table.ms(floors), "")
                            .row(
                                    "broker: its own cost (latency - backing)",
                                    Table.ms(brokerSide.median()),
                                    brokerSide.roundRange())
                            .row("broker above the floors", Table.ms(brokerSide.median() - floors), "")
                            .render()
                    + String.format(
                            "%d rounds of %d cycles a side, %d ms idle before each call (not counted)%n",
                            ROUNDS, CYCLES_PER_ROUND, idle.toMillis());
        }
    }

    private static void warmUp(Cycle cycle, int cycles) {
        for (int i = 0; i < cycles; i++) {
            cycle.run();
        }
    }

    /** One side's samples, in nanoseconds per cycle, and each round's median. */
    private static final class Side {

        private final LongSupplier cycle;
        private final long[] all = new long[ROUNDS * CYCLES_PER_ROUND];
        private final double[] roundMedians = new double[ROUNDS];
        private int rounds;

        Side(LongSupplier cycle) {
            this.cycle = cycle;
        }

        void round() {
            long[] samples = new long[CYCLES_PER_ROUND];
            for (int i = 0; i < CYCLES_PER_ROUND; i++) {
                samples[i] = cycle.getAsLong();
            }
            System.arraycopy(samples, 0, all, rounds * CYCLES_PER_ROUND, CYCLES_PER_ROUND);
            roundMedians[rounds++] = Percentiles.of(samples).millis(0.5);
        }

        double median() {
            return Percentiles.of(Arrays.copyOf(all, rounds * CYCLES_PER_ROUND)).millis(0.5);
        }

        String roundRange() {
            double[] sorted = Arrays.copyOf(roundMedians, rounds);
            Arrays.sort(sorted);
            return Table.ms(sorted[0]) + "-" + Table.ms(sorted[sorted.length - 1]);
        }
    }
}
