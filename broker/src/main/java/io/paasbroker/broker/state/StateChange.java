package io.paasbroker.broker.state;

import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One UPDATE of the state store, kept as SQL so that it runs either on its own or inside the statement that ends an
 * operation ({@link OperationRepository#finish}): its SQL ends with its WHERE clause, its parameters are positional.
 */
public record StateChange(String sql, List<Object> parameters) {

    StateChange(String sql, Object... parameters) {
        this(sql, Arrays.asList(parameters));
    }

    void run(JdbcClient jdbc) {
        jdbc.sql(sql).params(parameters).update();
    }
}
