package io.paasbroker.provisioner.local.postgres;

import java.util.List;

/**
 * The provisioner properties of a local PostgreSQL plan.
 *
 * @param server the configured server that holds this plan's databases
 * @param connectionLimit the most connections the instance's database accepts; none when null
 * @param allowedExtensions extensions an instance may ask for with the {@code extensions} parameter
 * @param defaultExtensions extensions every instance of the plan gets
 */
record LocalPostgresPlan(
        String server, Integer connectionLimit, List<String> allowedExtensions, List<String> defaultExtensions) {

    LocalPostgresPlan {
        allowedExtensions = allowedExtensions == null ? List.of() : List.copyOf(allowedExtensions);
        defaultExtensions = defaultExtensions == null ? List.of() : List.copyOf(defaultExtensions);
    }
}
