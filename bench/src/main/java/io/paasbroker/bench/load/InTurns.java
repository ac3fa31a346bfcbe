package io.paasbroker.bench.load;

import io.paasbroker.bench.process.CpuMeters;
import java.util.concurrent.Callable;

/** Runs two sides of a comparison in turns, per a {@link Schedule}, metering CPU around every run. */
public final class InTurns {

    /** One side: the operation under load and the CPU meters that see it. */
    public record Side<T>(Callable<T> operation, CpuMeters cpu) {}

    public record Result<A, B>(Repeats<A> first, Repeats<B> second) {}

    private InTurns() {}

    public static <A, B> Result<A, B> run(Schedule schedule, int concurrency, Side<A> first, Side<B> second) {
        if (!schedule.warmUp().isZero()) {
            // JIT, connection pools, the servers' caches: not counted
            Limits warmUp = Limits.of(Integer.MAX_VALUE, schedule.warmUp());
            LoadRunner.run(concurrency, warmUp, first.operation());
            LoadRunner.run(concurrency, warmUp, second.operation());
        }
        Limits slot = Limits.of(Integer.MAX_VALUE, schedule.slot());
        Repeats<A> firsts = new Repeats<>();
        Repeats<B> seconds = new Repeats<>();
        for (int round = 0; round < schedule.rounds(); round++) {
            // which goes first alternates, so a drift of the machine within a round favours neither
            if (round % 2 == 0) {
                firsts.add(measure(first, concurrency, slot));
                seconds.add(measure(second, concurrency, slot));
            } else {
                seconds.add(measure(second, concurrency, slot));
                firsts.add(measure(first, concurrency, slot));
            }
        }
        return new Result<>(firsts, seconds);
    }

    /** One run of one side, with the CPU its meters counted meanwhile. */
    public static <T> Run<T> measure(Side<T> side, int concurrency, Limits limits) {
        CpuMeters.Measured<Run<T>> measured =
                side.cpu().measure(() -> LoadRunner.run(concurrency, limits, side.operation()));
        return measured.result().withCpu(measured.cpuNanos());
    }
}
