package io.paasbroker.testbed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What a fake found wrong with the requests it was sent, each in a sentence, kept until a suite takes them. */
public final class Violations {

    private final Queue<String> found = new ConcurrentLinkedQueue<>();

    public void add(String violation) {
        found.add(violation);
    }

    public void addAll(Collection<String> violations) {
        found.addAll(violations);
    }

    /** What was found since the last call, and forgets it; one found while taking is kept for the next. */
    public List<String> take() {
        List<String> taken = new ArrayList<>();
        for (String violation = found.poll(); violation != null; violation = found.poll()) {
            taken.add(violation);
        }
        return taken;
    }
}
