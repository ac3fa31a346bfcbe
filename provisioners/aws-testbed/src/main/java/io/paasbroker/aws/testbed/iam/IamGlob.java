package io.paasbroker.aws.testbed.iam;

import java.util.regex.Pattern;

/** IAM's wildcards: {@code *} for any run of characters (none too), {@code ?} for exactly one. */
public final class IamGlob {

    private IamGlob() {}

    /** Actions match case-insensitively, resources and condition values as written. */
    public static Pattern of(String glob, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(
                    switch (c) {
                        case '*' -> ".*";
                        case '?' -> ".";
                        default -> Pattern.quote(String.valueOf(c));
                    });
        }
        return Pattern.compile(
                regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL);
    }
}
