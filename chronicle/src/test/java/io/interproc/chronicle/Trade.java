package io.interproc.chronicle;

import java.util.Objects;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/** A test value that marshals itself field by field, with explicit methods. */
public final class Trade implements BytesMarshallable {
    public long id;
    public String symbol;
    public double price;
    public int quantity;

    public Trade() {
    }

    public Trade(long id, String symbol, double price, int quantity) {
        this.id = id;
        this.symbol = symbol;
        this.price = price;
        this.quantity = quantity;
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeLong(id);
        out.writeUtf8(symbol);
        out.writeDouble(price);
        out.writeInt(quantity);
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        id = in.readLong();
        symbol = in.readUtf8();
        price = in.readDouble();
        quantity = in.readInt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trade t && t.id == id && Objects.equals(t.symbol, symbol)
                && Double.compare(t.price, price) == 0 && t.quantity == quantity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, symbol, price, quantity);
    }

    @Override
    public String toString() {
        return "Trade[" + id + " " + symbol + " " + price + " x" + quantity + "]";
    }
}
