package io.paasbroker.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of backing service paasbroker knows how to offer. */
public enum ServiceKind {
    POSTGRESQL,
    MYSQL,
    REDIS,
    OPENSEARCH,
    S3;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ServiceKind fromKey(String key) {
        return Arrays.stream(values())
                .filter(kind -> kind.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service kind '" + key + "', expected one of "
                        + Arrays.stream(values()).map(ServiceKind::key).collect(Collectors.joining(", "))));
    }
}
