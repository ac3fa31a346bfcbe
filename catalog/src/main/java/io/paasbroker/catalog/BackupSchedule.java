package io.paasbroker.catalog;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scheduled backups of a plan's instances, durations written as {@code 30m}, {@code 24h} or {@code 7d}. A provision or
 * update may choose its own interval and retention within the plan's limits ({@code min_every}, {@code max_keep});
 * without them, the plan's values are the only ones allowed.
 *
 * @param every how often an instance is backed up
 * @param keep how long each scheduled backup is kept
 * @param minEvery the shortest interval an instance may ask for
 * @param maxKeep the longest retention an instance may ask for
 */
public record BackupSchedule(String every, String keep, String minEvery, String maxKeep) {

    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([mhd])");

    public Duration interval() {
        return parse(every);
    }

    public Duration retention() {
        return parse(keep);
    }

    public Duration shortestInterval() {
        return minEvery == null ? interval() : parse(minEvery);
    }

    public Duration longestRetention() {
        return maxKeep == null ? retention() : parse(maxKeep);
    }

    /** {@code 30m}, {@code 24h}, {@code 7d}; anything else is an {@link IllegalArgumentException} naming it. */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 30m, 24h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
