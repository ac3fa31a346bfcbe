package io.paasbroker.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an operation from {@code concurrency} threads, each starting the next as soon as its last one ended (a closed
 * loop, like a platform keeping that many requests in flight), until the limits are reached.
 */
public final class LoadRunner {

    private LoadRunner() {}

    public static <T> Run<T> run(int concurrency, Limits limits, Callable<T> operation) {
        Shared shared = new Shared(limits);
        List<Worker<T>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(new Worker<>(operation, shared));
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread thread = new Thread(workers.get(i), "load-" + i);
            thread.start();
            threads.add(thread);
        }
        List<Long> latencies = new ArrayList<>();
        List<T> results = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            join(threads.get(i));
            latencies.addAll(workers.get(i).latencies);
            results.addAll(workers.get(i).results);
        }
        long elapsed = System.nanoTime() - shared.start;
        return new Run<>(
                latencies.stream().mapToLong(Long::longValue).toArray(),
                results,
                elapsed,
                shared.errors.get(),
                shared.firstError.get(),
                Map.of());
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        }
    }

    /** The budget all threads of one run draw from, and what went wrong. */
    private static final class Shared {
        private final long start = System.nanoTime();
        private final long deadline;
        private final int operations;
        private final AtomicInteger issued = new AtomicInteger();
        private final AtomicInteger errors = new AtomicInteger();
        private final AtomicReference<String> firstError = new AtomicReference<>();

        Shared(Limits limits) {
            this.deadline = start + limits.time().toNanos();
            this.operations = limits.operations();
        }

        boolean admitNext() {
            return System.nanoTime() < deadline && issued.getAndIncrement() < operations;
        }

        void failed(Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e.toString());
        }
    }

    private static final class Worker<T> implements Runnable {
        private final Callable<T> operation;
        private final Shared shared;
        private final List<Long> latencies = new ArrayList<>();
        private final List<T> results = new ArrayList<>();

        Worker(Callable<T> operation, Shared shared) {
            this.operation = operation;
            this.shared = shared;
        }

        @Override
        public void run() {
            while (shared.admitNext()) {
                long begin = System.nanoTime();
                try {
                    T result = operation.call();
                    latencies.add(System.nanoTime() - begin);
                    results.add(result);
                } catch (Exception e) {
                    shared.failed(e);
                }
            }
        }
    }
}
