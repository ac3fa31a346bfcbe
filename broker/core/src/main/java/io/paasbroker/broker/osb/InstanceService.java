package io.paasbroker.broker.osb;

import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.broker.backup.BackupRecord;
import io.paasbroker.broker.backup.BackupRepository;
import io.paasbroker.broker.operations.InstanceRequests;
import io.paasbroker.broker.operations.OperationRunner;
import io.paasbroker.broker.provisioning.PublishedCatalog;
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
import io.paasbroker.provisioner.DeprovisionRefusedException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ServiceProvisioner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerOperationInProgressException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceExistsException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceUpdateNotSupportedException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.publisher.Mono;

/**
 * The OSB service instance endpoints: checks a request completely before anything is recorded, records the
 * instance change and its operation in one transaction, then runs the operation or leaves it to the workers.
 */
@Service
public class InstanceService implements ServiceInstanceService {

    /** How many of an instance's backups GET instance shows. */
    private static final int SHOWN_BACKUPS = 20;

    private final PublishedCatalog catalog;
    private final InstanceRepository instances;
    private final OperationRepository operations;
    private final OperationAcceptor acceptor;
    private final TransactionTemplate transaction;
    private final BackupRequests backupRequests;
    private final BackupRepository backups;

    public InstanceService(
            PublishedCatalog catalog,
            InstanceRepository instances,
            OperationRepository operations,
            OperationAcceptor acceptor,
            TransactionTemplate transaction,
            BackupRequests backupRequests,
            BackupRepository backups) {
        this.catalog = catalog;
        this.instances = instances;
        this.operations = operations;
        this.acceptor = acceptor;
        this.transaction = transaction;
        this.backupRequests = backupRequests;
        this.backups = backups;
    }

    /** What a create or change request came to: nothing to do, the same operation again, or a new one. */
    private sealed interface Decision {
        record AlreadyDone() implements Decision {}

        record AlreadyInFlight(String operationId) implements Decision {}

        /** A new operation, with the instance as the recording transaction left it. */
        record Accepted(OperationRecord operation, InstanceRecord instance) implements Decision {}
    }

    /** A delete's decision, and whether the platform is answered before the operation has run. */
    private record Deletion(Decision decision, boolean async) {}

    @Override
    public Mono<CreateServiceInstanceResponse> createServiceInstance(CreateServiceInstanceRequest request) {
        return Mono.fromCallable(() -> provision(request));
    }

    @SuppressWarnings("deprecation") // organization_guid and space_guid are REQUIRED fields of OSB 2.17
    private CreateServiceInstanceResponse provision(CreateServiceInstanceRequest request) {
        RequestChecks.identitiesFit(request);
        RequestChecks.fits("organization_guid", request.getOrganizationGuid(), 255);
        RequestChecks.fits("space_guid", request.getSpaceGuid(), 255);
        ServiceOffering service = service(request.getServiceDefinitionId());
        Plan plan = plan(service, request.getPlanId());
        ServiceProvisioner provisioner = catalog.provisioner(service, plan);
        RequestChecks.require(
                notBlank(request.getOrganizationGuid()) && notBlank(request.getSpaceGuid()),
                "organization_guid and space_guid are required");
        String maintenance = RequestChecks.maintenanceVersion(request.getMaintenanceInfo(), plan)
                .orElse(
                        plan.maintenanceInfo() == null
                                ? null
                                : plan.maintenanceInfo().version());
        Map<String, Object> parameters = parameters(request.getParameters());
        Map<String, Object> serviceParameters = BackupParameters.withoutBackupParameters(parameters);
        RequestChecks.parameters(plan.schemas().provision(), serviceParameters, "provision");
        provisioner.checkParameters(plan, serviceParameters);
        Map<String, Object> context = Identity.context(request.getContext());
        BackupRequests.Place place =
                new BackupRequests.Place(request.getOrganizationGuid(), request.getSpaceGuid(), context);
        Optional<BackupRecord> restore = backupRequests.restoreSource(service, plan, provisioner, parameters, place);
        Optional<BackupRequests.PointInTime> pointInTime =
                backupRequests.pointInTime(service, plan, provisioner, parameters, place);
        Map<String, Object> operationRequest = restore.<Map<String, Object>>map(
                        b -> Map.of(OperationRunner.RESTORE_BACKUP_ID, b.id()))
                .or(() -> pointInTime.map(p -> Map.of(
                        OperationRunner.RESTORE_INSTANCE_ID, p.sourceInstanceId(),
                        OperationRunner.RESTORE_TIME, p.time().toString())))
                .orElse(Map.of());
        boolean async = RequestChecks.asynchronous(request.isAsyncAccepted(), plan, provisioner);
        InstanceRecord wanted = new InstanceRecord(
                request.getServiceInstanceId(),
                service.id(),
                plan.id(),
                InstanceState.PROVISIONING,
                parameters,
                context,
                request.getOrganizationGuid(),
                request.getSpaceGuid(),
                maintenance,
                Map.of(),
                null,
                PlatformOwnershipFilter.callingAccount(),
                null);
        Identity identity = Identity.of(request.getOriginatingIdentity());

        // a new id, as nearly always: the instance and its operation in one statement; else the existing one decides
        Decision decision = acceptor.recordProvision(
                        wanted, operationRequest, identity, request.getRequestIdentity(), !async)
                .<Decision>map(operation -> new Decision.Accepted(operation, wanted))
                .orElseGet(() -> transaction.execute(status -> provisionOverExisting(
                        wanted, operationRequest, identity, request.getRequestIdentity(), async)));
        CreateServiceInstanceResponse.CreateServiceInstanceResponseBuilder response =
                CreateServiceInstanceResponse.builder();
        if (decision instanceof Decision.AlreadyDone) {
            return response.instanceExisted(true).build();
        }
        if (decision instanceof Decision.AlreadyInFlight inFlight) {
            if (!async) {
                // only a platform that accepts incomplete answers may be told to poll
                throw new ServiceBrokerConcurrencyException(
                        "the instance is being created by an earlier request; ask again once that is done");
            }
            return response.async(true).operation(inFlight.operationId()).build();
        }
        Decision.Accepted accepted = (Decision.Accepted) decision;
        if (async) {
            acceptor.handOver();
            return response.async(true).operation(accepted.operation().id()).build();
        }
        requireSucceeded(acceptor.run(accepted.operation(), accepted.instance(), null));
        return response.build();
    }

    /**
     * A provision whose id is taken (instance rows are never deleted, so the row is there): the same request again, a
     * conflict, or a new instance over a deleted one.
     */
    private Decision provisionOverExisting(
            InstanceRecord wanted,
            Map<String, Object> operationRequest,
            Identity identity,
            String requestIdentity,
            boolean async) {
        InstanceRecord existing = instances.lock(wanted.id()).orElseThrow();
        if (existing.exists()) {
            return sameInstance(existing, wanted);
        }
        instances.replace(wanted); // a new instance reusing the id of a deleted one
        return new Decision.Accepted(
                acceptor.record(
                        OperationType.PROVISION,
                        wanted.id(),
                        null,
                        operationRequest,
                        identity,
                        requestIdentity,
                        !async),
                wanted);
    }

    /** An identical provision is answered as before; anything else about an existing id conflicts. */
    private Decision sameInstance(InstanceRecord existing, InstanceRecord wanted) {
        boolean identical = existing.serviceId().equals(wanted.serviceId())
                && existing.planId().equals(wanted.planId())
                && Json.same(existing.parameters(), wanted.parameters())
                && Objects.equals(existing.organizationGuid(), wanted.organizationGuid())
                && Objects.equals(existing.spaceGuid(), wanted.spaceGuid());
        if (!identical) {
            throw new ServiceInstanceExistsException(existing.id(), existing.serviceId());
        }
        return switch (existing.state()) {
            case PROVISIONED -> new Decision.AlreadyDone();
            case PROVISIONING ->
                new Decision.AlreadyInFlight(operations
                        .latestOfInstance(existing.id())
                        .map(OperationRecord::id)
                        .orElseThrow());
            default -> throw new ServiceInstanceExistsException(existing.id(), existing.serviceId());
        };
    }

    @Override
    public Mono<UpdateServiceInstanceResponse> updateServiceInstance(UpdateServiceInstanceRequest request) {
        return Mono.fromCallable(() -> update(request));
    }

    private UpdateServiceInstanceResponse update(UpdateServiceInstanceRequest request) {
        RequestChecks.identitiesFit(request);
        String id = request.getServiceInstanceId();
        InstanceRecord current = instances
                .find(id)
                .filter(InstanceRecord::exists)
                .orElseThrow(() -> new ServiceInstanceDoesNotExistException(id));
        ServiceOffering service = service(request.getServiceDefinitionId());
        RequestChecks.require(
                service.id().equals(current.serviceId()),
                "service_id " + service.id() + " is not the service of this instance (" + current.serviceId() + ")");
        Plan currentPlan = plan(service, current.planId());
        String targetPlanId = request.getPlanId() == null ? current.planId() : request.getPlanId();
        Plan target = plan(service, targetPlanId);
        boolean planChanges = !target.id().equals(currentPlan.id());
        if (planChanges && !service.isPlanUpdateable(currentPlan)) {
            throw new ServiceInstanceUpdateNotSupportedException("plan '" + currentPlan.name()
                    + "' cannot be changed to another plan; create a new instance of plan '" + target.name() + "'");
        }
        ServiceProvisioner provisioner = catalog.provisioner(service, target);
        if (planChanges) {
            if (catalog.provisioner(service, currentPlan) != provisioner) {
                throw new ServiceInstanceUpdateNotSupportedException("plans '" + currentPlan.name() + "' and '"
                        + target.name() + "' are served by different provisioners; create a new instance of plan '"
                        + target.name() + "'");
            }
            try {
                provisioner.checkPlanChange(currentPlan, target);
            } catch (PlanChangeRefusedException e) {
                throw new ServiceInstanceUpdateNotSupportedException(e.getMessage());
            }
        }
        Optional<String> maintenance = RequestChecks.maintenanceVersion(request.getMaintenanceInfo(), target);
        Map<String, Object> changes = parameters(request.getParameters());
        boolean backupNow = backupRequests.backupNow(target, provisioner, changes);
        RequestChecks.parameters(
                target.schemas().update(), BackupParameters.withoutBackupParameters(changes), "update");
        Map<String, Object> parameters = new LinkedHashMap<>(current.parameters());
        parameters.putAll(changes);
        parameters.remove(BackupParameters.BACKUP);
        Map<String, Object> context = Identity.context(request.getContext());
        boolean parametersChange = !Json.same(parameters, current.parameters());
        boolean upgrade = maintenance.isPresent() && !maintenance.get().equals(current.maintenanceVersion());
        boolean contextChanges = request.getContext() != null && !Json.same(context, current.context());

        RequestChecks.require(
                !backupNow || (!planChanges && !upgrade), "ask for a backup on its own, without other changes");
        if (!backupNow && !planChanges && !parametersChange && !upgrade) {
            if (contextChanges) {
                RequestChecks.require(service.allowContextUpdates(), "this service does not take context updates");
                transaction.executeWithoutResult(status -> {
                    instances.lock(id);
                    acceptor.requireNoConflict(id, true);
                    instances.setContext(id, context);
                });
            }
            return UpdateServiceInstanceResponse.builder().build();
        }
        provisioner.checkParameters(target, BackupParameters.withoutBackupParameters(parameters));
        boolean async = RequestChecks.asynchronous(request.isAsyncAccepted(), target, provisioner);
        Map<String, Object> operationRequest = new LinkedHashMap<>();
        if (backupNow) {
            operationRequest.put(BackupParameters.BACKUP, "now");
        } else {
            operationRequest.put("plan_id", target.id());
            operationRequest.put("parameters", parameters);
            operationRequest.put("maintenance_version", maintenance.orElse(current.maintenanceVersion()));
        }
        Identity identity = Identity.of(request.getOriginatingIdentity());
        Decision.Accepted accepted = transaction.execute(status -> {
            InstanceRecord locked = instances
                    .lock(id)
                    .filter(InstanceRecord::exists)
                    .orElseThrow(() -> new ServiceInstanceDoesNotExistException(id));
            if (locked.state() != InstanceState.PROVISIONED) {
                acceptor.requireNoConflict(id, true);
                throw new ServiceBrokerConcurrencyException(
                        "the instance is " + locked.state().column() + "; it can be updated once it is provisioned");
            }
            if (!locked.planId().equals(current.planId())
                    || !Json.same(locked.parameters(), current.parameters())
                    || !Objects.equals(locked.maintenanceVersion(), current.maintenanceVersion())) {
                // this request's merge of parameters started from what another update has since replaced
                throw new ServiceBrokerConcurrencyException(
                        "another update of the instance ended while this one was being checked; ask again");
            }
            InstanceRecord updated = locked;
            if (contextChanges && service.allowContextUpdates()) {
                instances.setContext(id, context);
                updated = locked.withContext(context);
            }
            return new Decision.Accepted(
                    acceptor.record(
                            OperationType.UPDATE,
                            id,
                            null,
                            operationRequest,
                            identity,
                            request.getRequestIdentity(),
                            !async,
                            instances.stateChange(id, InstanceState.UPDATING)),
                    updated);
        });
        if (async) {
            acceptor.handOver();
            return UpdateServiceInstanceResponse.builder()
                    .async(true)
                    .operation(accepted.operation().id())
                    .build();
        }
        requireSucceeded(acceptor.run(accepted.operation(), accepted.instance(), null));
        return UpdateServiceInstanceResponse.builder().build();
    }

    @Override
    public Mono<DeleteServiceInstanceResponse> deleteServiceInstance(DeleteServiceInstanceRequest request) {
        return Mono.fromCallable(() -> deprovision(request));
    }

    private DeleteServiceInstanceResponse deprovision(DeleteServiceInstanceRequest request) {
        RequestChecks.identitiesFit(request);
        String id = request.getServiceInstanceId();
        Identity identity = Identity.of(request.getOriginatingIdentity());
        refuseKnownRefusal(id);
        Deletion deletion = transaction.execute(status -> {
            InstanceRecord locked = instances
                    .lock(id)
                    .filter(InstanceRecord::exists)
                    .orElseThrow(() -> new ServiceInstanceDoesNotExistException(id));
            ServiceOffering service = service(locked.serviceId());
            Plan plan = plan(service, locked.planId());
            boolean async =
                    RequestChecks.asynchronous(request.isAsyncAccepted(), plan, catalog.provisioner(service, plan));
            if (locked.state() == InstanceState.DEPROVISIONING) {
                return new Deletion(
                        new Decision.AlreadyInFlight(operations
                                .latestOfInstance(id)
                                .map(OperationRecord::id)
                                .orElseThrow()),
                        async);
            }
            return new Deletion(
                    new Decision.Accepted(
                            acceptor.record(
                                    OperationType.DEPROVISION,
                                    id,
                                    null,
                                    Map.of(),
                                    identity,
                                    request.getRequestIdentity(),
                                    !async,
                                    instances.stateChange(id, InstanceState.DEPROVISIONING)),
                            locked),
                    async);
        });
        boolean async = deletion.async();
        if (deletion.decision() instanceof Decision.AlreadyInFlight inFlight) {
            if (!async) {
                throw new ServiceBrokerConcurrencyException("the instance is being deleted already");
            }
            return DeleteServiceInstanceResponse.builder()
                    .async(true)
                    .operation(inFlight.operationId())
                    .build();
        }
        Decision.Accepted accepted = (Decision.Accepted) deletion.decision();
        if (async) {
            acceptor.handOver();
            return DeleteServiceInstanceResponse.builder()
                    .async(true)
                    .operation(accepted.operation().id())
                    .build();
        }
        requireSucceeded(acceptor.run(accepted.operation(), accepted.instance(), null));
        return DeleteServiceInstanceResponse.builder().build();
    }

    @Override
    public Mono<GetServiceInstanceResponse> getServiceInstance(GetServiceInstanceRequest request) {
        return Mono.fromCallable(() -> {
            String id = request.getServiceInstanceId();
            InstanceRecord instance = instances
                    .find(id)
                    .filter(InstanceRecord::exists)
                    .orElseThrow(() -> new ServiceInstanceDoesNotExistException(id));
            ServiceOffering service = service(instance.serviceId());
            if (!service.instancesRetrievable()) {
                throw new BadRequestException("service '" + service.name() + "' does not make instances retrievable");
            }
            switch (instance.state()) {
                case PROVISIONING ->
                    throw new ServiceBrokerOperationInProgressException(operations
                            .latestOfInstance(id)
                            .map(OperationRecord::id)
                            .orElse(null));
                case UPDATING -> throw new ServiceBrokerConcurrencyException("the instance is being updated");
                default -> {}
            }
            // the instance's backups are shown to its owners with its parameters, newest first
            Map<String, Object> shown = new LinkedHashMap<>(instance.parameters());
            List<Map<String, Object>> itsBackups = backups.of(id).stream()
                    .limit(SHOWN_BACKUPS)
                    .map(BackupRecord::view)
                    .toList();
            if (!itsBackups.isEmpty()) {
                shown.put("backups", itsBackups);
            }
            return GetServiceInstanceResponse.builder()
                    .serviceDefinitionId(instance.serviceId())
                    .planId(instance.planId())
                    .parameters(shown)
                    .build();
        });
    }

    @Override
    public Mono<GetLastServiceOperationResponse> getLastOperation(GetLastServiceOperationRequest request) {
        return Mono.fromCallable(() -> {
            String id = request.getServiceInstanceId();
            instances.find(id).orElseThrow(() -> new NotFoundException("service instance " + id + " does not exist"));
            // the instance exists: an operation it never had is the platform's mistake (400), not a missing instance
            OperationRecord operation = request.getOperation() == null
                    ? operations
                            .latestOfInstance(id)
                            .orElseThrow(() -> new NotFoundException("service instance " + id + " has no operation"))
                    : operations
                            .find(request.getOperation())
                            .filter(o -> o.instanceId().equals(id) && o.bindingId() == null)
                            .orElseThrow(() -> new BadRequestException(
                                    "service instance " + id + " has no operation " + request.getOperation()));
            GetLastServiceOperationResponse.GetLastServiceOperationResponseBuilder response =
                    GetLastServiceOperationResponse.builder()
                            .operationState(LastOperations.state(operation.state()))
                            .description(operation.description());
            // the operation alone decides: a completed delete is Gone, whatever was read of the instance before
            if (operation.type() == OperationType.DEPROVISION && operation.state() == OperationState.SUCCEEDED) {
                response.deleteOperation(true);
            }
            if (operation.state() == OperationState.FAILED) {
                if (operation.type() == OperationType.UPDATE) {
                    response.instanceUsable(true).updateRepeatable(true);
                } else if (operation.type() == OperationType.DEPROVISION) {
                    // a refused deletion left the instance as it was; read after the operation, which ended with it
                    response.instanceUsable(instances
                            .find(id)
                            .map(after -> after.state() == InstanceState.PROVISIONED)
                            .orElse(false));
                }
            }
            return response.build();
        });
    }

    /**
     * A deletion the provisioner would refuse having changed nothing (a bucket that still holds objects) is answered
     * 422 with the reason before anything is recorded, so the instance stays as it is and its owner can act.
     */
    private void refuseKnownRefusal(String id) {
        Optional<InstanceRecord> instance = instances.find(id).filter(i -> i.state() == InstanceState.PROVISIONED);
        if (instance.isEmpty()) {
            return;
        }
        ServiceOffering service = service(instance.get().serviceId());
        Plan plan = plan(service, instance.get().planId());
        try {
            catalog.provisioner(service, plan)
                    .checkDeprovision(InstanceRequests.of(
                            instance.get(), plan, instance.get().parameters()));
        } catch (DeprovisionRefusedException e) {
            throw new UnprocessableException(e.getMessage() + "; nothing was changed");
        } catch (ProvisionerException e) {
            // the backing service cannot say now: the deletion's step asks again and reports what it meets
        }
    }

    /** A synchronous operation that failed is answered with its description. */
    static void requireSucceeded(OperationRunner.Result result) {
        OperationRecord operation = result.operation();
        switch (operation.state()) {
            case SUCCEEDED -> {}
            case FAILED -> throw new OperationFailedException(operation.description());
            case IN_PROGRESS ->
                throw new ServiceBrokerUnavailableException(
                        "the operation did not finish within the request; the broker goes on with operation "
                                + operation.id());
        }
    }

    private ServiceOffering service(String serviceId) {
        return catalog.service(serviceId)
                .orElseThrow(() -> new BadRequestException("service_id " + serviceId + " is not in the catalog"));
    }

    private Plan plan(ServiceOffering service, String planId) {
        return RequestChecks.plan(catalog, service, planId);
    }

    static Map<String, Object> parameters(Map<String, Object> given) {
        return given == null ? new LinkedHashMap<>() : new LinkedHashMap<>(given);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
