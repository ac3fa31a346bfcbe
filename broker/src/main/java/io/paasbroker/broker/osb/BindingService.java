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
        String instanceId = request.getServiceInstanceId();
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

        // the request is checked against the instance as its locked row has it, before anything is written: a
        // refusal rolls back a transaction that changed nothing
        Accepted accepted = transaction.execute(status -> {
            InstanceRecord locked = instances
                    .lock(instanceId)
                    .filter(InstanceRecord::exists)
                    .orElseThrow(() -> new ServiceInstanceDoesNotExistException(instanceId));
            ServiceOffering service = service(locked);
            Plan plan = plan(service, locked.planId());
            RequestChecks.require(
                    service.id().equals(request.getServiceDefinitionId())
                            && plan.id().equals(request.getPlanId()),
                    "service_id and plan_id must be those of the instance (" + service.id() + ", " + plan.id() + ")");
            RequestChecks.require(service.isBindable(plan), "plan '" + plan.name() + "' is not bindable");
            Map<String, Object> parameters = InstanceService.parameters(request.getParameters());
            Optional<String> predecessor = BindingRotation.predecessor();
            if (predecessor.isPresent()) {
                parameters = rotated(predecessor.get(), instanceId, plan, parameters);
            }
            RequestChecks.parameters(plan.schemas().bind(), parameters, "bind");
            boolean async =
                    RequestChecks.asynchronous(request.isAsyncAccepted(), plan, catalog.provisioner(service, plan))
                            && service.bindingsRetrievable();
            BindingRecord wanted = new BindingRecord(
                    request.getBindingId(),
                    instanceId,
                    service.id(),
                    plan.id(),
                    BindingState.BINDING,
                    parameters,
                    Identity.context(request.getContext()),
                    bindResource,
                    null);
            BindingRecord existing =
                    bindings.find(wanted.id()).filter(BindingRecord::exists).orElse(null);
            if (existing != null) {
                boolean identical = existing.instanceId().equals(instanceId)
                        && Json.same(existing.parameters(), wanted.parameters())
                        && Objects.equals(existing.bindResource().get("app_guid"), bindResource.get("app_guid"));
                if (!identical
                        || existing.state() == BindingState.FAILED
                        || existing.state() == BindingState.UNBINDING) {
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
        });
        CreateServiceInstanceAppBindingResponse.CreateServiceInstanceAppBindingResponseBuilder response =
                CreateServiceInstanceAppBindingResponse.builder();
        if (accepted.operation() == null) {
            BindingRecord existing = accepted.binding();
            if (existing.state() == BindingState.BINDING) {
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
        String instanceId = request.getServiceInstanceId();
        String bindingId = request.getBindingId();
        Identity identity = Identity.of(request.getOriginatingIdentity());
        Accepted accepted = transaction.execute(status -> {
            // a binding's instance exists as long as the binding does
            InstanceRecord locked = instances
                    .lock(instanceId)
                    .orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(bindingId));
            BindingRecord current = bindings.find(bindingId)
                    .filter(b -> b.instanceId().equals(instanceId) && b.exists())
                    .orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(bindingId));
            ServiceOffering service = service(locked);
            Plan plan = plan(service, locked.planId());
            boolean async =
                    RequestChecks.asynchronous(request.isAsyncAccepted(), plan, catalog.provisioner(service, plan))
                            && service.bindingsRetrievable();
            if (current.state() == BindingState.UNBINDING) {
                return new Accepted(null, locked, current, async);
            }
            if (current.state() == BindingState.BINDING) {
                throw new ServiceBrokerConcurrencyException(
                        "the binding is still being created; retry when it is done");
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
        });
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

    @Override
    public Mono<GetLastServiceBindingOperationResponse> getLastOperation(
            GetLastServiceBindingOperationRequest request) {
        return Mono.fromCallable(() -> {
            String bindingId = request.getBindingId();
            bindings.find(bindingId)
                    .filter(b -> b.instanceId().equals(request.getServiceInstanceId()))
                    .orElseThrow(() -> new NotFoundException("service binding " + bindingId + " does not exist"));
            OperationRecord operation = (request.getOperation() == null
                            ? operations.latestOfBinding(bindingId)
                            : operations.find(request.getOperation()).filter(o -> bindingId.equals(o.bindingId())))
                    .orElseThrow(() -> new NotFoundException("service binding " + bindingId + " has no operation "
                            + Objects.requireNonNullElse(request.getOperation(), "")));
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
