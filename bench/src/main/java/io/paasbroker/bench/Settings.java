package io.paasbroker.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the pom hands the benchmark as system properties. {@code brokerWarmUp}: how long S3 cycles run through the
 * broker before anything is measured (each service then gets a third of it). Its JIT compiles for a few thousand
 * calls, and on two cores that competes with everything: with 6 s the broker's own cost read 30-75 ms per cycle.
 */
record Settings(Path brokerJar, Path workDirectory, int instances, Duration brokerWarmUp, Set<String> services) {

    static Settings fromSystemProperties() {
        return new Settings(
                Path.of(required("bench.brokerJar")).toAbsolutePath().normalize(),
                Path.of(required("bench.workDirectory")).toAbsolutePath().normalize(),
                Integer.getInteger("bench.instances", 0),
                Duration.ofSeconds(Integer.getInteger("bench.warmUpSeconds", 30)),
                names(System.getProperty("bench.services", "")));
    }

    /** {@code services}: the cycles to measure, e.g. {@code postgresql,s3}; empty for all. */
    private static Set<String> names(String commaSeparated) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : commaSeparated.split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip().toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(names);
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("-D" + name + " is required (run through bench/pom.xml, see README.md)");
        }
        return value;
    }
}
