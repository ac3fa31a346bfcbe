package io.paasbroker.bench.load;

import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * The spread over the rounds of a comparison, each round pairing the runs of two sides taken next to each other: how
 * much the machine moved the answer while it was measured.
 */
public final class Paired {

    private Paired() {}

    /** The lowest and highest {@code f(run of a, run of b)} over rounds. */
    public static <A, B> double[] range(Repeats<A> a, Repeats<B> b, ToDoubleBiFunction<Run<A>, Run<B>> f) {
        List<Run<A>> left = a.runs();
        List<Run<B>> right = b.runs();
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            double value = f.applyAsDouble(left.get(i), right.get(i));
            low = Math.min(low, value);
            high = Math.max(high, value);
        }
        return new double[] {low, high};
    }
}
