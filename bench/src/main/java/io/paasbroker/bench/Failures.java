package io.paasbroker.bench;

import io.paasbroker.bench.load.Repeats;

/** Failed operations of a measured side: left out of its numbers, but said. */
final class Failures {

    private Failures() {}

    static void append(StringBuilder lines, String side, Repeats<?> repeats) {
        if (repeats.errors() > 0) {
            lines.append(String.format("failures, %s: %d; first: %s%n", side, repeats.errors(), repeats.firstError()));
        }
    }
}
