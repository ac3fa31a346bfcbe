package io.paasbroker.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.provisioner.credentials.ServerTls;

/** What an application does with its binding's TLS entries: trusts the CA they carry, or the system's CAs. */
public final class BindingTls {

    private BindingTls() {}

    public static ServerTls of(JsonNode credentials) {
        JsonNode ca = credentials.get("ca_certificate");
        return ServerTls.verifiedBy(ca == null ? null : ca.asText());
    }
}
