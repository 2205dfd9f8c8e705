package io.duplex.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON line of results: fields in the order they were put. */
final class Json {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    static Json of(String bench, String target) {
        return new Json().put("bench", bench).put("target", target);
    }

    Json put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    Object get(String name) {
        return fields.get(name);
    }

    double number(String name) {
        Object v = fields.get(name);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v == null) {
                out.append("null");
            } else if (v instanceof Double d) {
                out.append(!Double.isFinite(d) ? "null" : Math.abs(d) >= 100 ? Long.toString(Math.round(d))
                        : new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString());
            } else if (v instanceof Number || v instanceof Boolean) {
                out.append(v);
            } else {
                out.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return out.append('}').toString();
    }
}
