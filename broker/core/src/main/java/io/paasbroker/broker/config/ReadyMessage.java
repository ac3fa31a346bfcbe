package io.paasbroker.broker.config;

import io.paasbroker.broker.provisioning.PublishedCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says, once the broker serves, where a platform (or a curious person with curl) finds it. */
@Component
class ReadyMessage {

    private static final Logger log = LoggerFactory.getLogger(ReadyMessage.class);

    private final PublishedCatalog catalog;

    ReadyMessage(PublishedCatalog catalog) {
        this.catalog = catalog;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
            int port = web.getWebServer().getPort();
            log.info(
                    "paasbroker is ready: http://localhost:{}/v2/catalog (basic auth, header X-Broker-API-Version: 2.17),"
                            + " {} services published",
                    port,
                    catalog.catalog().services().size());
        }
    }
}
