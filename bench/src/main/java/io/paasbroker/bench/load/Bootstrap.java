package io.paasbroker.bench.load;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * A 90 % bootstrap interval for a statistic of two samples' medians (their ratio, their difference), or for one
 * sample's median: how far the answer could move with other draws of the same noise. The seed is fixed, so a run's
 * numbers are reproducible from its samples.
 */
public final class Bootstrap {

    private static final int RESAMPLES = 2000;

    private Bootstrap() {}

    /** {@code [low, high]} of {@code statistic(median of a in ms, median of b in ms)}. */
    public static double[] interval(long[] a, long[] b, DoubleBinaryOperator statistic) {
        if (a.length == 0 || b.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return interval(random -> statistic.applyAsDouble(resampledMedian(a, random), resampledMedian(b, random)));
    }

    /** {@code [low, high]} of the median of {@code sample}, in ms. */
    public static double[] medianInterval(long[] sample) {
        if (sample.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return interval(random -> resampledMedian(sample, random));
    }

    private static double[] interval(ToDoubleFunction<SplittableRandom> resampledStatistic) {
        SplittableRandom random = new SplittableRandom(42);
        double[] values = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            values[i] = resampledStatistic.applyAsDouble(random);
        }
        Arrays.sort(values);
        return new double[] {values[(int) (0.05 * RESAMPLES)], values[(int) (0.95 * RESAMPLES) - 1]};
    }

    private static double resampledMedian(long[] sample, SplittableRandom random) {
        long[] draw = new long[sample.length];
        for (int i = 0; i < draw.length; i++) {
            draw[i] = sample[random.nextInt(sample.length)];
        }
        return Percentiles.of(draw).millis(0.50);
    }
}
