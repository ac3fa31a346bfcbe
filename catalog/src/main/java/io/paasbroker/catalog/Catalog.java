package io.paasbroker.catalog;

import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/** The service offerings a broker publishes. */
public record Catalog(List<ServiceOffering> services) {

    public Catalog {
        services = services == null ? List.of() : List.copyOf(services);
    }

    public Optional<ServiceOffering> service(String serviceId) {
        return services.stream().filter(s -> s.id().equals(serviceId)).findFirst();
    }

    public Optional<Plan> plan(String serviceId, String planId) {
        return service(serviceId)
                .flatMap(s ->
                        s.plans().stream().filter(p -> p.id().equals(planId)).findFirst());
    }

    /** The same catalog keeping only the plans that pass the filter, and only services left with a plan. */
    public Catalog withPlansWhere(BiPredicate<ServiceOffering, Plan> keep) {
        return new Catalog(services.stream()
                .map(s -> new ServiceOffering(
                        s.id(),
                        s.name(),
                        s.description(),
                        s.kind(),
                        s.tags(),
                        s.bindable(),
                        s.instancesRetrievable(),
                        s.bindingsRetrievable(),
                        s.planUpdateable(),
                        s.allowContextUpdates(),
                        s.metadata(),
                        s.plans().stream().filter(p -> keep.test(s, p)).toList()))
                .filter(s -> !s.plans().isEmpty())
                .toList());
    }
}
