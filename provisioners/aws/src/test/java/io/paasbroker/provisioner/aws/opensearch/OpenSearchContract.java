package io.paasbroker.provisioner.aws.opensearch;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.aws.AwsPlans;
import java.util.Map;

/**
 * The provisioner contract for OpenSearch plans, wherever the domains are (the test bed, a real account): a tenant is
 * an application sending REST requests over HTTPS as its binding's user ({@link DomainSession}), keeping a marker
 * document in an index under its prefix.
 */
abstract class OpenSearchContract extends ServiceProvisionerContract {

    private static final String MARKERS = "markers";

    /** A plan of one small node, with {@code overrides}. */
    static Plan plan(String name, Map<String, Object> overrides) {
        return AwsPlans.plan(
                "opensearch",
                name,
                "OpenSearch with a domain of its own",
                Map.of("engine_version", "OpenSearch_2.19", "instance_type", "t3.small.search"),
                overrides);
    }

    /** The index of the binding's instance the marker is kept in. */
    static String markers(Credentials credentials) {
        return credentials.values().get("index_prefix") + MARKERS;
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        DomainSession session = new DomainSession(credentials);
        return new TenantSession() {
            @Override
            public void writeMarker(String marker) {
                session.expect(
                        "PUT",
                        "/" + markers(credentials) + "/_doc/marker?refresh=true",
                        "{\"value\":\"" + marker + "\"}");
            }

            @Override
            public String readMarker() {
                return readMarkerOf(credentials);
            }

            /**
             * On the other instance's domain, as this session's user: refused only by a 401 or 403. Any other answer
             * is returned as the marker read, so that the contract sees the read was not refused.
             */
            @Override
            public String readMarkerOf(Credentials other) {
                DomainSession at = other == credentials ? session : new DomainSession(credentials, other);
                DomainSession.Answer answer = at.send("GET", "/" + markers(other) + "/_doc/marker", null);
                if (answer.status() == 401 || answer.status() == 403) {
                    throw new IllegalStateException("refused: HTTP " + answer.status());
                }
                if (answer.status() == 404 && other == credentials) {
                    return null;
                }
                if (answer.status() != 200) {
                    return "answered HTTP " + answer.status() + ", not refused";
                }
                return answer.body().path("_source").path("value").asText();
            }

            @Override
            public void close() {}
        };
    }
}
