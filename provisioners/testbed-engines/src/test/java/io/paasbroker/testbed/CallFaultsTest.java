package io.paasbroker.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.testbed.CallFaults.Fault;
import org.junit.jupiter.api.Test;

class CallFaultsTest {

    private static final class Refused extends RuntimeException {}

    private static final class Throttled extends RuntimeException {}

    private final CallFaults faults = new CallFaults();

    private Fault call() {
        return faults.next(Refused::new, Throttled::new);
    }

    @Test
    void callsOutsideTheWindowMeetNoFaultAndAreCounted() {
        faults.fail(3, 1, Fault.REFUSE);

        assertThat(call()).isNull();
        assertThat(call()).isNull();
        assertThat(faults.soFar()).isEqualTo(2);
    }

    @Test
    void callsInTheWindowAreRefusedOrThrottledWithTheFakesOwnErrors() {
        faults.fail(1, 1, Fault.REFUSE);
        assertThatThrownBy(this::call).isInstanceOf(Refused.class);

        faults.fail(2, 2, Fault.THROTTLE);
        assertThatThrownBy(this::call).isInstanceOf(Throttled.class);
        assertThatThrownBy(this::call).isInstanceOf(Throttled.class);
        assertThat(call()).isNull();
    }

    @Test
    void aCallThatActsThenLosesItsAnswerIsLetThroughWithItsFault() {
        faults.fail(1, 1, Fault.ACT_THEN_RESET);

        assertThat(call()).isEqualTo(Fault.ACT_THEN_RESET);
        assertThat(call()).isNull();
    }
}
