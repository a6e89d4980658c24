package dev.lumen.explainer.method;

import dev.lumen.catalogue.Family;
import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The map formula of every gradient method of the {@link MethodCatalogue}, made from the class its
 * entry names: adding a gradient method is one class and one catalogue entry.
 */
public final class CamMethods {

    private static final Map<String, CamMethod> BY_ID = MethodCatalogue.methods().stream()
            .filter(m -> m.family() == Family.GRADIENT)
            .collect(Collectors.toUnmodifiableMap(Method::id, CamMethods::instantiate));

    private CamMethods() {
    }

    /**
     * The formula of gradient method {@code method}.
     *
     * @throws IllegalArgumentException when the method is not a gradient method
     */
    public static CamMethod of(Method method) {
        CamMethod cam = BY_ID.get(method.id());
        if (cam == null) {
            throw new IllegalArgumentException("method " + method.id() + " is not a gradient method");
        }
        return cam;
    }

    private static CamMethod instantiate(Method method) {
        try {
            return Class.forName(method.implementation()).asSubclass(CamMethod.class).getDeclaredConstructor()
                    .newInstance();
        } catch (ClassNotFoundException | ClassCastException | NoSuchMethodException | InstantiationException
                 | IllegalAccessException | InvocationTargetException e) {
            // A catalogue entry without its class is a build defect, not a user error.
            throw new ExceptionInInitializerError("catalogue method " + method.id() + " names "
                    + method.implementation() + ", which is not a CamMethod with a public no-argument constructor: " + e);
        }
    }
}
