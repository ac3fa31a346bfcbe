package io.paasbroker.provisioner;

import java.util.Map;

/** Whether each server a provisioner uses answered, with a short reason where it did not. */
public record Health(Map<String, String> problemsByServer, Map<String, String> serversUp) {

    public boolean isUp() {
        return problemsByServer.isEmpty();
    }
}
