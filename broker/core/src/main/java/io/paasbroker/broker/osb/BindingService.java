package io.paasbroker.broker.osb;

import io.paasbroker.broker.credentials.CredentialStore;
import io.paasbroker.broker.credentials.CredentialStoreException;
import io.paasbroker.broker.operations.OperationRunner;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.broker.state.BindingRecord;
import io.paasbroker.broker.state.BindingRecord.BindingState;
import io.paasbroker.broker.state.BindingRepository;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.broker.state.InstanceRecord.InstanceState;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.broker.state.Json;
import io.paasbroker.broker.state.OperationRecord;
import io.paasbroker.broker.state.OperationRecord.OperationState;
import io.paasbroker.broker.state.OperationRecord.OperationType;
import io.paasbroker.broker.state.OperationRepository;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerAsyncRequiredException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingExistsException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetLastServiceBindingOperationRequest;
import org.springframework.cloud.servicebroker.model.binding.GetLastServiceBindingOperationResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.publisher.Mono;

/** The OSB binding endpoints: each binding gets credentials of its own, kept in the credential store. */
@Service
public class BindingService implements ServiceInstanceBindingService {

    private final PublishedCatalog catalog;
    private final InstanceRepository instances;
    private final BindingRepository bindings;
    private final OperationRepository operations;
    private final OperationAcceptor acceptor;
    private final CredentialStore credentials;
    private final TransactionTemplate transaction;

    public BindingService(
            PublishedCatalog catalog,
            InstanceRepository instances,
            BindingRepository bindings,
            OperationRepository operations,
            OperationAcceptor acceptor,
            CredentialStore credentials,
            TransactionTemplate transaction) {
        this.catalog = catalog;
        this.instances = instances;
        this.bindings = bindings;
        this.operations = operations;
        this.acceptor = acceptor;
        this.credentials = credentials;
        this.transaction = transaction;
    }

    /**
     * What the recording transaction came to: a new operation (null when the binding is there already, or being
     * unbound already), with the instance and binding as that transaction left them, and whether the platform is
     * answered before the operation has run.
     */
    private record Accepted(OperationRecord operation, InstanceRecord instance, BindingRecord binding, boolean async) {}

    @Override
    public Mono<CreateServiceInstanceBindingResponse> createServiceInstanceBinding(
            CreateServiceInstanceBindingRequest request) {
        return Mono.fromCallable(() -> bind(request));
    }

    private CreateServiceInstanceBindingResponse bind(CreateServiceInstanceBindingRequest request) {
        RequestChecks.identitiesFit(request);
        Map<String, Object> bindResource = new LinkedHashMap<>();
        if (request.getBindResource() != null) {
            bindResource.putAll(request.getBindResource().getProperties());
            if (request.getBindResource().getAppGuid() != null) {
                bindResource.put("app_guid", request.getBindResource().getAppGuid());
            }
            if (request.getBindResource().getRoute() != null) {
                bindResource.put("route", request.getBindResource().getRoute());
            }
        }
        Identity identity = Identity.of(request.getOriginatingIdentity());

        // a new binding id on a provisioned instance, as nearly always: one statement; else the locked path decides
        Accepted accepted = recordNewBinding(request, bindResource, identity)
                .orElseGet(() -> transaction.execute(status -> bindUnderLock(request, bindResource, identity)));
        CreateServiceInstanceAppBindingResponse.CreateServiceInstanceAppBindingResponseBuilder response =
                CreateServiceInstanceAppBindingResponse.builder();
        if (accepted.operation() == null) {
            BindingRecord existing = accepted.binding();
            if (existing.state() == BindingState.BINDING) {
                if (!accepted.async()) {
                    // only a platform that accepts incomplete answers may be told to poll
                    throw new ServiceBrokerConcurrencyException(
                            "the binding is being created by an earlier request; ask again once that is done");
                }
                String operation = operations
                        .latestOfBinding(existing.id())
                        .map(OperationRecord::id)
                        .orElseThrow();
                return response.async(true).operation(operation).build();
            }
            return response.bindingExisted(true)
                    .credentials(credentialsOf(existing))
                    .build();
        }
        if (accepted.async()) {
            acceptor.handOver();
            return response.async(true).operation(accepted.operation().id()).build();
        }
        OperationRunner.Result result = acceptor.run(accepted.operation(), accepted.instance(), accepted.binding());
        InstanceService.requireSucceeded(result);
        // the credentials this run issued; read back only when another replica finished the operation
        return response.credentials(result.issuedCredentials()
                        .orElseGet(() -> credentialsOf(
                                bindings.find(accepted.binding().id()).orElseThrow())))
                .build();
    }

    /**
     * The usual bind, of a new binding id on a provisioned instance, recorded in one statement with its binding (see
     * {@link BindingRepository#newBindingOfProvisioned}) when the request passes every check as the service and plan
     * it names; empty otherwise, for {@link #bindUnderLock} to answer.
     */
    private Optional<Accepted> recordNewBinding(
            CreateServiceInstanceBindingRequest request, Map<String, Object> bindResource, Identity identity) {
        Optional<ServiceOffering> service = catalog.service(request.getServiceDefinitionId());
        if (service.isEmpty()) {
            return Optional.empty();
        }
        CheckedBind checked;
        try {
            checked = checked(request, service.get(), request.getPlanId(), bindResource);
        } catch (BadRequestException | ServiceBrokerAsyncRequiredException refused) {
            return Optional.empty(); // refused under the lock, once the instance is known to exist
        }
        return acceptor.recordOnBinding(
                        OperationType.BIND,
                        request.getServiceInstanceId(),
                        request.getBindingId(),
                        identity,
                        request.getRequestIdentity(),
                        !checked.async(),
                        BindingRepository.newBindingOfProvisioned(checked.binding()),
                        InstanceRepository.PROVISIONED_INSTANCE)
                .map(recorded ->
                        new Accepted(recorded.operation(), recorded.read(), checked.binding(), checked.async()));
    }

    /**
     * A bind checked against the instance as its locked row has it, before anything is written: a refusal rolls back
     * a transaction that changed nothing.
     */
    private Accepted bindUnderLock(
            CreateServiceInstanceBindingRequest request, Map<String, Object> bindResource, Identity identity) {
        String instanceId = request.getServiceInstanceId();
        InstanceRecord locked = instances
                .lock(instanceId)
                .filter(InstanceRecord::exists)
                .orElseThrow(() -> new ServiceInstanceDoesNotExistException(instanceId));
        BindingRecord existing = bindings.find(request.getBindingId())
                .filter(BindingRecord::exists)
                .orElse(null);
        if (existing != null
                && !(locked.serviceId().equals(request.getServiceDefinitionId())
                        && locked.planId().equals(request.getPlanId()))) {
            // the id is taken, and the request names another service or plan: a conflict, as for provision
            throw new ServiceInstanceBindingExistsException(existing.instanceId(), existing.id());
        }
        CheckedBind checked = checked(request, service(locked), locked.planId(), bindResource);
        BindingRecord wanted = checked.binding();
        boolean async = checked.async();
        if (existing != null) {
            boolean identical = existing.instanceId().equals(instanceId)
                    && Json.same(existing.parameters(), wanted.parameters())
                    && Objects.equals(existing.bindResource().get("app_guid"), bindResource.get("app_guid"));
            if (!identical || existing.state() == BindingState.FAILED || existing.state() == BindingState.UNBINDING) {
                throw new ServiceInstanceBindingExistsException(existing.instanceId(), existing.id());
            }
            return new Accepted(null, locked, existing, async);
        }
        if (locked.state() != InstanceState.PROVISIONED) {
            acceptor.requireNoConflict(instanceId, false);
            throw new ServiceBrokerConcurrencyException(
                    "the instance is " + locked.state().column() + "; bind once it is provisioned");
        }
        return new Accepted(
                acceptor.record(
                        OperationType.BIND,
                        instanceId,
                        wanted.id(),
                        Map.of(),
                        identity,
                        request.getRequestIdentity(),
                        !async,
                        bindings.saving(wanted)),
                locked,
                wanted,
                async);
    }

    /** A bind request that passed its checks: the binding to create, and whether to answer before it is done. */
    private record CheckedBind(BindingRecord binding, boolean async) {}

    /** Checks a bind request against the service and plan of its instance. */
    private CheckedBind checked(
            CreateServiceInstanceBindingRequest request,
            ServiceOffering service,
            String planId,
            Map<String, Object> bindResource) {
        Plan plan = plan(service, planId);
        RequestChecks.require(
                service.id().equals(request.getServiceDefinitionId())
                        && plan.id().equals(request.getPlanId()),
                "service_id and plan_id must be those of the instance (" + service.id() + ", " + plan.id() + ")");
        RequestChecks.require(service.isBindable(plan), "plan '" + plan.name() + "' is not bindable");
        Map<String, Object> parameters = InstanceService.parameters(request.getParameters());
        Optional<String> predecessor = BindingRotation.predecessor();
        if (predecessor.isPresent()) {
            parameters = rotated(predecessor.get(), request.getServiceInstanceId(), plan, parameters);
        }
        RequestChecks.parameters(plan.schemas().bind(), parameters, "bind");
        BindingRecord binding = new BindingRecord(
                request.getBindingId(),
                request.getServiceInstanceId(),
                service.id(),
                plan.id(),
                BindingState.BINDING,
                parameters,
                Identity.context(request.getContext()),
                bindResource,
                null);
        return new CheckedBind(binding, asynchronous(request.isAsyncAccepted(), service, plan));
    }

    /** Whether to answer before the change is done: see {@link RequestChecks#asynchronous}. */
    private boolean asynchronous(boolean acceptsIncomplete, ServiceOffering service, Plan plan) {
        return RequestChecks.asynchronous(acceptsIncomplete, plan, catalog.provisioner(service, plan))
                && service.bindingsRetrievable();
    }

    @Override
    public Mono<GetServiceInstanceBindingResponse> getServiceInstanceBinding(GetServiceInstanceBindingRequest request) {
        return Mono.fromCallable(() -> {
            BindingRecord binding = bindings.find(request.getBindingId())
                    .filter(b -> b.instanceId().equals(request.getServiceInstanceId()))
                    .filter(b -> b.state() == BindingState.BOUND || b.state() == BindingState.UNBINDING)
                    .orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(request.getBindingId()));
            return GetServiceInstanceAppBindingResponse.builder()
                    .credentials(credentialsOf(binding))
                    .parameters(binding.parameters())
                    .build();
        });
    }

    @Override
    public Mono<DeleteServiceInstanceBindingResponse> deleteServiceInstanceBinding(
            DeleteServiceInstanceBindingRequest request) {
        return Mono.fromCallable(() -> unbind(request));
    }

    private DeleteServiceInstanceBindingResponse unbind(DeleteServiceInstanceBindingRequest request) {
        RequestChecks.identitiesFit(request);
        String bindingId = request.getBindingId();
        Identity identity = Identity.of(request.getOriginatingIdentity());
        // a bound binding of a provisioned instance, as nearly always: one statement; else the locked path decides
        Accepted accepted = recordUnbinding(request, identity)
                .orElseGet(() -> transaction.execute(status -> unbindUnderLock(request, identity)));
        if (accepted.operation() == null) {
            if (!accepted.async()) {
                throw new ServiceBrokerConcurrencyException("the binding is being deleted already");
            }
            String operation = operations
                    .latestOfBinding(bindingId)
                    .map(OperationRecord::id)
                    .orElseThrow();
            return DeleteServiceInstanceBindingResponse.builder()
                    .async(true)
                    .operation(operation)
                    .build();
        }
        if (accepted.async()) {
            acceptor.handOver();
            return DeleteServiceInstanceBindingResponse.builder()
                    .async(true)
                    .operation(accepted.operation().id())
                    .build();
        }
        InstanceService.requireSucceeded(acceptor.run(accepted.operation(), accepted.instance(), accepted.binding()));
        return DeleteServiceInstanceBindingResponse.builder().build();
    }

    /**
     * The usual unbind, of a bound binding of a provisioned instance with the service and plan the request names,
     * recorded in one statement that marks the binding unbinding (see {@link
     * BindingRepository#boundBindingOfProvisioned}); empty otherwise, for {@link #unbindUnderLock} to answer.
     */
    private Optional<Accepted> recordUnbinding(DeleteServiceInstanceBindingRequest request, Identity identity) {
        Optional<ServiceOffering> service = catalog.service(request.getServiceDefinitionId());
        Optional<Plan> plan = service.flatMap(s -> catalog.plan(s.id(), request.getPlanId()));
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        boolean async;
        try {
            async = asynchronous(request.isAsyncAccepted(), service.get(), plan.get());
        } catch (ServiceBrokerAsyncRequiredException refused) {
            return Optional.empty(); // refused under the lock, once the binding is known to exist
        }
        return acceptor.recordOnBinding(
                        OperationType.UNBIND,
                        request.getServiceInstanceId(),
                        request.getBindingId(),
                        identity,
                        request.getRequestIdentity(),
                        !async,
                        BindingRepository.boundBindingOfProvisioned(
                                request.getServiceInstanceId(),
                                service.get().id(),
                                plan.get().id(),
                                request.getBindingId()),
                        BindingRepository.BINDING_OF_INSTANCE)
                .map(recorded -> new Accepted(
                        recorded.operation(),
                        recorded.read().instance(),
                        recorded.read().binding(),
                        async));
    }

    private Accepted unbindUnderLock(DeleteServiceInstanceBindingRequest request, Identity identity) {
        String instanceId = request.getServiceInstanceId();
        String bindingId = request.getBindingId();
        // a binding's instance exists as long as the binding does
        InstanceRecord locked = instances
                .lock(instanceId)
                .orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(bindingId));
        BindingRecord current = bindings.find(bindingId)
                .filter(b -> b.instanceId().equals(instanceId) && b.exists())
                .orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(bindingId));
        ServiceOffering service = service(locked);
        Plan plan = plan(service, locked.planId());
        boolean async = asynchronous(request.isAsyncAccepted(), service, plan);
        if (current.state() == BindingState.UNBINDING) {
            return new Accepted(null, locked, current, async);
        }
        if (current.state() == BindingState.BINDING) {
            throw new ServiceBrokerConcurrencyException("the binding is still being created; retry when it is done");
        }
        return new Accepted(
                acceptor.record(
                        OperationType.UNBIND,
                        instanceId,
                        bindingId,
                        Map.of(),
                        identity,
                        request.getRequestIdentity(),
                        !async,
                        bindings.stateChange(bindingId, BindingState.UNBINDING, current.credentialsRef())),
                locked,
                current,
                async);
    }

    @Override
    public Mono<GetLastServiceBindingOperationResponse> getLastOperation(
            GetLastServiceBindingOperationRequest request) {
        return Mono.fromCallable(() -> {
            String bindingId = request.getBindingId();
            bindings.find(bindingId)
                    .filter(b -> b.instanceId().equals(request.getServiceInstanceId()))
                    .orElseThrow(() -> new NotFoundException("service binding " + bindingId + " does not exist"));
            // the binding exists: an operation it never had is the platform's mistake (400), not a missing binding
            OperationRecord operation = request.getOperation() == null
                    ? operations
                            .latestOfBinding(bindingId)
                            .orElseThrow(
                                    () -> new NotFoundException("service binding " + bindingId + " has no operation"))
                    : operations
                            .find(request.getOperation())
                            .filter(o -> bindingId.equals(o.bindingId()))
                            .orElseThrow(() -> new BadRequestException(
                                    "service binding " + bindingId + " has no operation " + request.getOperation()));
            // the operation alone decides: a completed unbind is Gone, whatever was read of the binding before
            boolean deleted = operation.type() == OperationType.UNBIND && operation.state() == OperationState.SUCCEEDED;
            return GetLastServiceBindingOperationResponse.builder()
                    .operationState(LastOperations.state(operation.state()))
                    .description(operation.description())
                    .deleteOperation(deleted)
                    .build();
        });
    }

    /**
     * A rotation (OSB 2.17) gives the new binding the access of its predecessor: the predecessor's parameters, with
     * those of the request on top. The predecessor keeps working until its own unbind.
     */
    private Map<String, Object> rotated(
            String predecessorId, String instanceId, Plan plan, Map<String, Object> parameters) {
        RequestChecks.require(
                plan.bindingRotatable(), "plan '" + plan.name() + "' does not rotate bindings (binding_rotatable)");
        BindingRecord predecessor = bindings.find(predecessorId)
                .filter(b -> b.instanceId().equals(instanceId) && b.state() == BindingState.BOUND)
                .orElseThrow(() -> new BadRequestException("predecessor_binding_id " + predecessorId
                        + " is not a binding of this instance that is in use"));
        Map<String, Object> inherited = new LinkedHashMap<>(predecessor.parameters());
        inherited.putAll(parameters);
        return inherited;
    }

    private Map<String, Object> credentialsOf(BindingRecord binding) {
        if (binding.credentialsRef() == null) {
            throw new CredentialStoreException("binding " + binding.id() + " has no credentials recorded");
        }
        return credentials
                .get(binding.credentialsRef())
                .orElseThrow(() -> new CredentialStoreException(
                        "the credentials of binding " + binding.id() + " are missing from the credential store"));
    }

    private ServiceOffering service(InstanceRecord instance) {
        return catalog.service(instance.serviceId())
                .orElseThrow(() -> new IllegalStateException("service " + instance.serviceId() + " left the catalog"));
    }

    private Plan plan(ServiceOffering service, String planId) {
        return RequestChecks.plan(catalog, service, planId);
    }
}
