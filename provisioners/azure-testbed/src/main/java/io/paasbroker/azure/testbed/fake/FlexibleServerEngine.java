package io.paasbroker.azure.testbed.fake;

import io.paasbroker.testbed.ManagedDatabaseServer;
import io.paasbroker.testbed.TestBedCertificates;
import java.nio.file.Path;
import java.util.Map;

/**
 * What differs between Azure's flexible servers of one database engine and another's, as {@link FakeFlexibleServers}
 * serves them: the resource type, the port, what Azure takes of a new server, its parameters, and the real server
 * behind each.
 */
interface FlexibleServerEngine {

    /** {@code Microsoft.DBforPostgreSQL/flexibleServers}. */
    String type();

    default String namespace() {
        return type().substring(0, type().indexOf('/'));
    }

    int port();

    /** Whether Azure refuses {@code login} as the administrator's. */
    boolean reservedLogin(String login);

    /** Whether Azure offers storage of {@code gb} GiB. */
    boolean offersStorage(int gb);

    /** The {@code createMode} of a new, empty server. */
    String createMode();

    /** The property of a point-in-time restore's moment. */
    String restorePointProperty();

    /** The server parameters the fake serves, with their values on a new server. */
    Map<String, String> parameters();

    /** Throws the {@link ArmError} Azure answers a value of parameter {@code name} it refuses with. */
    void checkParameter(String name, String value);

    /** A new real server under {@code directory}, its administrator {@code login}, as Azure sets one up. */
    ManagedDatabaseServer start(Path directory, TestBedCertificates certificates, String login, String password);

    /** Applies parameter {@code name} to the real server. */
    void apply(ManagedDatabaseServer server, String name, String value);
}
