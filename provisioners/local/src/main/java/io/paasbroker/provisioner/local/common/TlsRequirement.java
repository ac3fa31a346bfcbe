package io.paasbroker.provisioner.local.common;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.credentials.ServerTls;

/** A plan's {@code require_tls} property: its logins must connect with TLS, which needs a server that offers it. */
public final class TlsRequirement {

    private TlsRequirement() {}

    /** The start-up check of a plan that requires TLS on {@code server}. */
    public static void check(Plan plan, boolean required, String server, ServerTls tls) {
        if (required && !tls.enabled()) {
            throw new InvalidPlanException("plan '" + plan.name() + "' (" + plan.id() + "): require_tls needs a server"
                    + " that offers TLS, and server '" + server + "' is configured without it (tls: true)");
        }
    }
}
