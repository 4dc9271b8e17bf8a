package io.interproc.cli;

import io.interproc.core.CodecException;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.logging.LogEvent;
import io.interproc.logging.LogListener;
import io.interproc.logging.LogPublisher;
import io.interproc.logging.LogSink;

import java.time.Duration;

/**
 * {@code interproc logs NAME [--queue=QUEUE] [--follow]}: takes the log records queued in a
 * segment's log queue (module logging) and prints them one line each; with {@code --follow}, keeps
 * printing new ones until stopped. The records are taken: this is the queue's listener while it runs.
 */
final class LogsCommand implements Command {
    @Override
    public String name() {
        return "logs";
    }

    @Override
    public String synopsis() {
        return "logs NAME";
    }

    @Override
    public String summary() {
        return "print (and take) the log records queued in a segment's log queue";
    }

    @Override
    public String page() {
        return """
                Usage: interproc [--dir PATH] logs NAME [--queue=QUEUE] [--follow]

                Takes the log records that JVMs logging through interproc-logging's
                handlers or appenders put into the log queue of segment NAME, and prints
                them in arrival order, one line each:
                  <time> <LEVEL> [<process>[<pid>]/<thread>] <logger> #<sequence> - <message>
                with a stack trace below its record. The records are removed from the queue:
                run it only where no other LogListener reads the same queue.

                Options:
                  --queue=QUEUE  the log queue's name in the segment (default logs)
                  --follow       keep printing new records until interrupted (Ctrl-C), then
                                 print what is still queued and exit
                """;
    }

    @Override
    public int run(Context context) {
        String segmentName = null;
        String queueName = LogPublisher.DEFAULT_QUEUE;
        boolean follow = false;
        for (String a : context.args()) {
            if (a.equals("--follow")) {
                follow = true;
            } else if (a.startsWith("--queue=") && a.length() > "--queue=".length()) {
                queueName = a.substring("--queue=".length());
            } else if (a.startsWith("-")) {
                throw CliException.usage(name(), "unknown option '" + a + "'");
            } else if (segmentName != null) {
                throw CliException.usage(name(), "unexpected argument '" + a + "'");
            } else if (!Segment.isValidName(a)) {
                throw CliException.usage(name(), "invalid segment name '" + a + "'");
            } else {
                segmentName = a;
            }
        }
        if (segmentName == null) {
            throw CliException.usage(name(), "missing segment NAME");
        }
        context.requireDirectory();
        try (Segment segment = Segment.open(segmentName, context.options())) {
            SharedQueue<LogEvent> queue = SharedQueue.open(segment, queueName, LogEvent.codec());
            LogSink print = LogSink.print(context.out());
            if (follow) {
                follow(queue, print);
            } else {
                drain(queue, print, context);
            }
        }
        return Interproc.OK;
    }

    private static void drain(SharedQueue<LogEvent> queue, LogSink print, Context context) {
        while (true) {
            LogEvent e;
            try {
                e = queue.poll();
            } catch (CodecException unreadable) {
                context.out().println("# skipped a record that is not a log record: " + unreadable.getMessage());
                continue;
            }
            if (e == null) {
                break;
            }
            print.write(e);
        }
        print.flush();
    }

    private static void follow(SharedQueue<LogEvent> queue, LogSink print) {
        LogListener listener = LogListener.start(queue, print);
        Thread hook = new Thread(listener::close, "interproc-logs-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            listener.awaitStopped(Duration.ofNanos(Long.MAX_VALUE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.close();
        }
    }
}
