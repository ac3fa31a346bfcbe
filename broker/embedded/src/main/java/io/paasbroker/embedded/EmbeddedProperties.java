package io.paasbroker.embedded;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded default's section, {@code paasbroker.embedded.*}: real servers started by the broker under the data
 * directory. PostgreSQL always (it holds the broker's state); MariaDB, Redis and OpenSearch unless turned off.
 */
@ConfigurationProperties("paasbroker.embedded")
public record EmbeddedProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("true") boolean mysql,
        @DefaultValue("true") boolean redis,
        @DefaultValue("true") boolean opensearch) {}
