package io.paasbroker.broker.provisioning;

import io.paasbroker.catalog.Catalog;
import io.paasbroker.catalog.InvalidCatalogException;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.ServiceProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the configured catalog this broker can serve: plans whose provisioner exists for their service's kind.
 * A plan naming a provisioner nobody knows, or properties its provisioner rejects, stops the broker.
 */
public class PublishedCatalog {

    private static final Logger log = LoggerFactory.getLogger(PublishedCatalog.class);

    private final Catalog catalog;
    private final ProvisionerRegistry provisioners;

    public PublishedCatalog(Catalog configured, ProvisionerRegistry provisioners, String source) {
        this.provisioners = provisioners;
        List<String> problems = new ArrayList<>();
        for (ServiceOffering service : configured.services()) {
            for (Plan plan : service.plans()) {
                String name = plan.provisioner().name();
                String where = "service '" + service.name() + "' plan '" + plan.name() + "'";
                if (!provisioners.installed().contains(name)) {
                    problems.add(where + ": unknown provisioner '" + name + "': no such provisioner module is"
                            + " installed; installed are " + provisioners.installed());
                    continue;
                }
                Optional<String> refusal = provisioners.refusal(name, service.kind());
                if (refusal.isPresent()) {
                    problems.add(where + ": provisioner '" + name + "' cannot serve "
                            + service.kind().key() + ": " + refusal.get());
                    continue;
                }
                Optional<ServiceProvisioner> provisioner = provisioners.find(name, service.kind());
                if (provisioner.isEmpty()) {
                    log.warn(
                            "Not publishing {}: this broker has no {} provisioner for {}",
                            where,
                            name,
                            service.kind().key());
                    continue;
                }
                try {
                    provisioner.get().checkPlan(plan);
                } catch (InvalidPlanException e) {
                    problems.add(where + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(source, problems);
        }
        this.catalog = configured.withPlansWhere((service, plan) ->
                provisioners.find(plan.provisioner().name(), service.kind()).isPresent());
    }

    public Catalog catalog() {
        return catalog;
    }

    public Optional<ServiceOffering> service(String serviceId) {
        return catalog.service(serviceId);
    }

    public Optional<Plan> plan(String serviceId, String planId) {
        return catalog.plan(serviceId, planId);
    }

    public ServiceProvisioner provisioner(ServiceOffering service, Plan plan) {
        return provisioners
                .find(plan.provisioner().name(), service.kind())
                .orElseThrow(() -> new IllegalStateException("plan " + plan.id() + " has no provisioner"));
    }
}
