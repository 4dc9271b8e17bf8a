package io.interproc.pool.internal;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Finds where, in a task's object graph, the value that cannot be serialized sits, for the
 * message of a task refused at submission: the path of fields (and, for a lambda, of captured
 * values) from the task to the first value whose class is not {@link Serializable}. Best effort:
 * it follows the non-static, non-transient fields of serializable classes it may read reflectively
 * (not those of JDK classes), and lambdas through their {@link SerializedLambda}; a class with its
 * own {@code writeObject} may serialize differently. Stateless; any thread.
 */
final class NotSerializablePath {
    private static final int MAX_DEPTH = 12;

    private NotSerializablePath() {
    }

    /**
     * @param root the value that failed to serialize
     * @return a description such as {@code captured value 0 of lambda Main.lambda$main$0 -> field
     *     Holder.thread (java.lang.Thread)}, or null if none was found or
     *     {@code root} itself is the one
     */
    static String find(Object root) {
        if (!(root instanceof Serializable)) {
            return null; // the exception's message names its class already
        }
        try {
            return walk(root, describe(root), Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    private static String walk(Object value, String path, Set<Object> seen, int depth) {
        if (value == null || depth > MAX_DEPTH || !seen.add(value)) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type.isArray()) {
            if (type.getComponentType().isPrimitive()) {
                return null;
            }
            Object[] items = (Object[]) value;
            for (int i = 0; i < items.length && i < 1000; i++) {
                String found = visit(items[i], path + " -> [" + i + "]", seen, depth);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (!(value instanceof Serializable)) {
            return path + " (" + type.getName() + " is not Serializable)";
        }
        if (type.isSynthetic() && type.getName().contains("$$Lambda")) {
            SerializedLambda lambda = serializedLambda(value);
            if (lambda == null) {
                return null;
            }
            String name = "lambda " + simple(lambda.getImplClass()) + "." + lambda.getImplMethodName();
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                String found = visit(lambda.getCapturedArg(i), path + " -> captured value " + i + " of " + name,
                        seen, depth);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (type.getModule().getName() != null && type.getModule().getName().startsWith("java.")) {
            return null;
        }
        for (Class<?> c = type; c != null && Serializable.class.isAssignableFrom(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int mod = field.getModifiers();
                if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || field.getType().isPrimitive()) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (RuntimeException | IllegalAccessException e) {
                    continue;
                }
                String found = visit(fieldValue, path + " -> field " + c.getSimpleName() + "." + field.getName(),
                        seen, depth);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String visit(Object value, String path, Set<Object> seen, int depth) {
        return walk(value, path, seen, depth + 1);
    }

    private static SerializedLambda serializedLambda(Object lambda) {
        try {
            Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(lambda);
            return replaced instanceof SerializedLambda ? (SerializedLambda) replaced : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(Object root) {
        Class<?> type = root.getClass();
        return type.isSynthetic() && type.getName().contains("$$Lambda") ? "the lambda" : type.getName();
    }

    private static String simple(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }
}
