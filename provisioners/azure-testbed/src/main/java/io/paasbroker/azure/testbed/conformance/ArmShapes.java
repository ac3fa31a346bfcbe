package io.paasbroker.azure.testbed.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure's published REST shapes of the resource providers the azure provisioner calls, one {@link ArmApi} per
 * provider and api-version. The build writes them ({@code src/main/node/arm-shapes.js}) from the npm packages
 * generated from Azure's REST specifications into this module's jar, under {@code arm-shapes/}; those of an
 * api-version no npm package ships are transcribed by hand from the specification, in the same format, under
 * {@code arm-shapes-transcribed/} (each file's {@code package} says from where).
 */
public final class ArmShapes {

    /**
     * Where the build puts the shapes: in this module's jar, so every suite and process using the test bed has them;
     * the generated ones, then the transcribed ones.
     */
    private static final List<String> RESOURCES = List.of("/arm-shapes/", "/arm-shapes-transcribed/");

    private static final Pattern PROVIDER = Pattern.compile("/providers/([^/]+)/", Pattern.CASE_INSENSITIVE);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ArmApi> apis;

    private ArmShapes(List<ArmApi> apis) {
        this.apis = List.copyOf(apis);
    }

    /** The shapes the build wrote, read once per class loader. */
    public static ArmShapes load() {
        return Published.SHAPES;
    }

    /** Every provider and api-version there are shapes of. */
    public List<ArmApi> apis() {
        return apis;
    }

    /** The providers there are shapes of, as {@code Microsoft.Storage}. */
    public SortedSet<String> providers() {
        SortedSet<String> providers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        apis.forEach(api -> providers.add(api.provider()));
        return providers;
    }

    /** The api-versions {@code provider} (any case) has shapes at; empty for a provider without any. */
    public SortedSet<String> apiVersions(String provider) {
        SortedSet<String> versions = new TreeSet<>();
        apis.stream()
                .filter(api -> api.provider().equalsIgnoreCase(provider))
                .forEach(api -> versions.add(api.apiVersion()));
        return versions;
    }

    /** The shapes of {@code provider} (any case) at {@code apiVersion}. */
    public Optional<ArmApi> api(String provider, String apiVersion) {
        return apis.stream()
                .filter(api -> api.provider().equalsIgnoreCase(provider)
                        && api.apiVersion().equals(apiVersion))
                .findFirst();
    }

    /** The operation a request of {@code method} to {@code rawPath} at {@code apiVersion} is, if Azure publishes it. */
    public Optional<ArmOperation> operation(String method, String rawPath, String apiVersion) {
        return providerOf(rawPath)
                .flatMap(provider -> api(provider, apiVersion))
                .flatMap(api -> api.operation(method, rawPath));
    }

    /** The operations at {@code rawPath} at any api-version and with any method: what a wrong request may have meant. */
    public List<ArmOperation> operationsAt(String rawPath) {
        Optional<String> provider = providerOf(rawPath);
        List<ArmOperation> found = new ArrayList<>();
        apis.stream()
                .filter(api -> provider.isPresent() && api.provider().equalsIgnoreCase(provider.get()))
                .forEach(api -> found.addAll(api.operationsAt(rawPath)));
        return found;
    }

    /** The resource provider a path names: the segment after its last {@code /providers/}. */
    public static Optional<String> providerOf(String rawPath) {
        Matcher matcher = PROVIDER.matcher(rawPath);
        String provider = null;
        while (matcher.find()) {
            provider = matcher.group(1);
        }
        return Optional.ofNullable(provider);
    }

    /** The shapes files each directory's {@code index.txt} lists. */
    private static ArmShapes read() {
        List<ArmApi> apis = new ArrayList<>();
        for (String directory : RESOURCES) {
            for (String file : resourceLines(directory + "index.txt")) {
                try (InputStream shapes = resource(directory + file)) {
                    apis.add(ArmApi.of(JSON.readTree(shapes)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the ARM shapes " + directory + file, e);
                }
            }
        }
        return new ArmShapes(apis);
    }

    private static List<String> resourceLines(String name) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(resource(name), StandardCharsets.UTF_8))) {
            return lines.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream stream = ArmShapes.class.getResourceAsStream(name);
        if (stream == null) {
            throw new IllegalStateException("no " + name + ": the test bed's build writes the ARM shapes");
        }
        return stream;
    }

    /** Read on first use. */
    private static final class Published {
        private static final ArmShapes SHAPES = read();
    }
}
