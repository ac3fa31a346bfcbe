package io.paasbroker.broker.osb;

import io.paasbroker.broker.state.OperationRecord;
import org.springframework.cloud.servicebroker.model.instance.OperationState;

final class LastOperations {

    private LastOperations() {}

    static OperationState state(OperationRecord.OperationState state) {
        return switch (state) {
            case IN_PROGRESS -> OperationState.IN_PROGRESS;
            case SUCCEEDED -> OperationState.SUCCEEDED;
            case FAILED -> OperationState.FAILED;
        };
    }
}
