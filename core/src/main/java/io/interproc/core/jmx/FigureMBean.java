package io.interproc.core.jmx;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.ReflectionException;

/**
 * A read-only MBean whose attributes are named figures, read afresh on every access: one
 * {@link Supplier} call per {@link #getAttribute} and one per {@link #getAttributes} (so the
 * attributes of one {@code getAttributes} come from one read). Attribute types are taken from the
 * first read: numbers keep their type, booleans are {@code Boolean}, anything else (owners,
 * lists) is shown as its {@code String}. Failures reach JMX clients as an {@link MBeanException}
 * wrapping an {@link IllegalStateException} with the message, a JDK type every client can load.
 */
final class FigureMBean implements DynamicMBean {
    private final Supplier<Map<String, Object>> read;
    private final MBeanInfo info;

    /**
     * @param className the class name shown to clients (the object's kind)
     * @param description what the MBean describes
     * @param read reads the current figures; may throw
     */
    FigureMBean(String className, String description, Supplier<Map<String, Object>> read) {
        this.read = read;
        Map<String, Object> first = read.get();
        MBeanAttributeInfo[] attributes = new MBeanAttributeInfo[first.size()];
        int i = 0;
        for (Map.Entry<String, Object> e : first.entrySet()) {
            attributes[i++] = new MBeanAttributeInfo(e.getKey(), typeOf(e.getValue()), e.getKey(), true, false,
                    false);
        }
        this.info = new MBeanInfo(className, description, attributes, null, new MBeanOperationInfo[0],
                new MBeanNotificationInfo[0]);
    }

    private static String typeOf(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value.getClass().getName();
        }
        return String.class.getName();
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException, MBeanException {
        Map<String, Object> now = readNow();
        if (!now.containsKey(attribute)) {
            throw new AttributeNotFoundException("no attribute '" + attribute + "' in " + info.getClassName()
                    + "; attributes: " + now.keySet());
        }
        return convert(attribute, now.get(attribute));
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList out = new AttributeList();
        Map<String, Object> now;
        try {
            now = readNow();
        } catch (MBeanException e) {
            return out; // the JMX convention: attributes that cannot be read are left out
        }
        for (String a : attributes) {
            if (now.containsKey(a)) {
                out.add(new Attribute(a, convert(a, now.get(a))));
            }
        }
        return out;
    }

    private Map<String, Object> readNow() throws MBeanException {
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw new MBeanException(new IllegalStateException(e.getMessage()), e.getMessage());
        }
    }

    /** @return the value in the attribute's declared type */
    private Object convert(String attribute, Object value) {
        String type = null;
        for (MBeanAttributeInfo a : info.getAttributes()) {
            if (a.getName().equals(attribute)) {
                type = a.getType();
                break;
            }
        }
        if (value == null || type == null) {
            return value;
        }
        if (value instanceof Number n) {
            if (type.equals(Integer.class.getName())) {
                return n.intValue();
            } else if (type.equals(Long.class.getName())) {
                return n.longValue();
            } else if (type.equals(Double.class.getName())) {
                return n.doubleValue();
            }
        }
        if (value instanceof Boolean && type.equals(Boolean.class.getName())) {
            return value;
        }
        return value instanceof List<?> list ? list.toString() : String.valueOf(value);
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("attributes of " + info.getClassName() + " are read-only: "
                + attribute.getName());
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList(); // none can be set
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName),
                info.getClassName() + " has no operations: " + actionName);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
