package dev.lumen.explainer.method;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of explanation methods by name. */
public final class Methods {

    private static final Map<String, CamMethod> CAM_METHODS = List.<CamMethod>of(
                    new GradCam(), new GradCamPlusPlus(), new HiResCam())
            .stream().collect(Collectors.toUnmodifiableMap(CamMethod::name, Function.identity()));

    private Methods() {
    }

    /** Names of all available methods, sorted. */
    public static List<String> names() {
        return CAM_METHODS.keySet().stream().sorted().toList();
    }

    /**
     * The CAM method called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed methods when there is none
     */
    public static CamMethod cam(String name) {
        CamMethod method = name == null ? null : CAM_METHODS.get(name.toLowerCase(Locale.ROOT));
        if (method == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; allowed: " + String.join(", ", names()));
        }
        return method;
    }
}
