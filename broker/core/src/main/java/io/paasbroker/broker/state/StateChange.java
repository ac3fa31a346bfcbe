package io.paasbroker.broker.state;

import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One write to the state store, kept as SQL so that it runs either on its own or inside the statement that records an
 * operation ({@link OperationRepository}), guarded there by that operation's row: {@code sql} ends with its WHERE
 * clause, where the guard is added, and {@code tail} (such as an ON CONFLICT clause) follows it. Parameters are
 * positional.
 */
public record StateChange(String sql, String tail, List<Object> parameters) {

    StateChange(String sql, Object... parameters) {
        this(sql, "", Arrays.asList(parameters));
    }

    /** The SQL, with {@code condition} added to its WHERE clause. */
    String guardedBy(String condition) {
        return sql + " AND " + condition + tail;
    }

    public void run(JdbcClient jdbc) {
        jdbc.sql(sql + tail).params(parameters).update();
    }
}
