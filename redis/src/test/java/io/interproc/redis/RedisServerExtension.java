package io.interproc.redis;

import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * JUnit 5 extension (register it in a static field) that starts a {@link LocalRedisServer} for a
 * test class and stops it afterwards, passed or failed. If no {@code redis-server} binary exists
 * the class's tests are skipped, saying so; any other failure to start fails them.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    private LocalRedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(LocalRedisServer.binary().isPresent(),
                "no redis-server binary (PATH, /usr/bin, /usr/local/bin): the Redis tests need one"
                        + " (Debian: apt-get install redis-server; .ci/run installs it)");
        server = LocalRedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** @return the running server */
    public LocalRedisServer server() {
        return server;
    }

    /** @return {@code redis://127.0.0.1:<port>} */
    public String address() {
        return server.address();
    }

    /**
     * @param lease the lock watchdog timeout
     * @return a new client of the server; the caller shuts it down
     */
    public RedissonClient newClient(Duration lease) {
        Config config = new Config();
        config.setLockWatchdogTimeout(lease.toMillis());
        config.useSingleServer().setAddress(address());
        return Redisson.create(config);
    }
}
