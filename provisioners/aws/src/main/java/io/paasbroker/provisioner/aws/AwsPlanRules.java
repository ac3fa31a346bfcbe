package io.paasbroker.provisioner.aws;

import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** What every aws plan and plan change is checked by: AWS's window formats, versions, and the two ways to refuse. */
public final class AwsPlanRules {

    /** A daily window, {@code hh24:mi-hh24:mi} UTC: RDS's backup window, ElastiCache's snapshot window. */
    public static final Pattern DAILY_WINDOW =
            Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]");

    /** A weekly window, {@code ddd:hh24:mi-ddd:hh24:mi} UTC: the maintenance window of every service. */
    public static final Pattern WEEKLY_WINDOW = Pattern.compile(
            "(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3])"
                    + ":[0-5][0-9]");

    public static final String DAILY_FORM = "hh24:mi-hh24:mi in UTC, as 03:00-04:00";
    public static final String WEEKLY_FORM = "ddd:hh24:mi-ddd:hh24:mi in UTC, as sun:04:00-sun:05:00";

    private AwsPlanRules() {}

    /** Compares dotted versions; a version without a minor ({@code 16}) is its major's first. */
    public static int compareVersions(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int l = i < left.length ? Integer.parseInt(left[i]) : 0;
            int r = i < right.length ? Integer.parseInt(right[i]) : 0;
            if (l != r) {
                return Integer.compare(l, r);
            }
        }
        return 0;
    }

    /** A user's parameter {@code name}, if given: a string of {@code pattern}, or refused saying it must be {@code form}. */
    public static Optional<String> optionalText(
            Map<String, Object> parameters, String name, Pattern pattern, String form) {
        Object value = parameters.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || !pattern.matcher(text).matches()) {
            throw new InvalidParametersException("parameter '" + name + "' must be " + form);
        }
        return Optional.of(text);
    }

    /** Whether a window is absent or of its form. */
    public static boolean absentOr(Pattern window, String value) {
        return value == null || window.matcher(value).matches();
    }

    /** Stops the broker at start-up, saying why, unless the plan's property holds. */
    public static void require(boolean holds, String message) {
        if (!holds) {
            throw new InvalidPlanException(message);
        }
    }

    /** Refuses a plan change with 422, saying why, unless it holds. */
    public static void refuseUnless(boolean holds, String message) {
        if (!holds) {
            throw new PlanChangeRefusedException(message);
        }
    }
}
