package io.paasbroker.broker.osb;

import io.paasbroker.broker.state.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.cloud.servicebroker.model.Context;

/** Who asked: the platform and the decoded X-Broker-API-Originating-Identity, as kept with operations and audits. */
record Identity(String platform, String originatingIdentity) {

    static Identity of(Context originatingIdentity) {
        if (originatingIdentity == null) {
            return new Identity(null, null);
        }
        return new Identity(originatingIdentity.getPlatform(), Json.write(originatingIdentity.getProperties()));
    }

    /** The platform's context of a request as a map, its platform included. */
    static Map<String, Object> context(Context context) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (context != null) {
            values.put("platform", context.getPlatform());
            values.putAll(context.getProperties());
        }
        return values;
    }
}
