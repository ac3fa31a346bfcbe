package io.paasbroker.provisioner;

/** A plan's provisioner properties cannot be served; thrown at start-up, it names the plan and the property. */
public class InvalidPlanException extends RuntimeException {

    public InvalidPlanException(String message) {
        super(message);
    }
}
