package io.paasbroker.bench.cycle;

/**
 * The life of one instance, with fresh ids each time: provision, bind, unbind, deprovision. Safe to run from several
 * threads at once; throws when a step fails.
 */
public interface Cycle {

    CycleTiming run();
}
