package io.paasbroker.provisioner.testcloud;

import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import java.util.Map;
import java.util.Optional;

/** The test cloud's snapshots of its databases: taken in a step, kept by the cloud, deleted and restored on request. */
final class TestCloudSnapshots implements InstanceSnapshots {

    private final TestCloudClient cloud;
    private final TestCloudProvisioner provisioner;

    TestCloudSnapshots(TestCloudClient cloud, TestCloudProvisioner provisioner) {
        this.cloud = cloud;
        this.provisioner = provisioner;
    }

    @Override
    public String format() {
        return "testcloud-snapshot/1";
    }

    @Override
    public StepOutcome startSnapshot(InstanceRequest instance, String name) {
        String database = TestCloudProvisioner.databaseOf(instance.instanceId());
        TestCloudClient.expect(
                cloud.send("PUT", "/databases/" + database + "/snapshots/" + name, Map.of(), Optional.empty()),
                "snapshot " + database,
                200,
                201);
        return pollSnapshot(instance, name);
    }

    @Override
    public StepOutcome pollSnapshot(InstanceRequest instance, String name) {
        TestCloudClient.Answer answer = cloud.send("GET", "/snapshots/" + name, null, Optional.empty());
        if (answer.status() == 404) {
            throw new ProvisioningFailedException("snapshot " + name + " is gone from the test cloud");
        }
        String state =
                TestCloudClient.expect(answer, "read snapshot " + name, 200).text("state");
        return state.equals("available")
                ? new StepOutcome.Completed(Map.of(), Map.of())
                : new StepOutcome.InProgress(name, "snapshot " + name + " is " + state);
    }

    @Override
    public void deleteSnapshot(String name) {
        TestCloudClient.expect(
                cloud.send("DELETE", "/snapshots/" + name, null, Optional.empty()),
                "delete snapshot " + name,
                202,
                404);
    }

    @Override
    public StepOutcome restoreSnapshot(InstanceRequest into, String name) {
        return provisioner.createFromSnapshot(into, name);
    }
}
