package io.paasbroker.bench.osb;

/** A broker answered with another status than the one the OSB specification gives for success. */
public final class UnexpectedResponseException extends RuntimeException {

    public UnexpectedResponseException(String method, String path, int status, String body) {
        super(method + " " + path + " answered " + status + ": " + abbreviate(body));
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
