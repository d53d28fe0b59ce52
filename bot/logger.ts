import { pino, type DestinationStream, type Logger } from 'pino';

/** Structured JSON logs on stdout; tokens, passwords and connection strings never appear. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'service-routing' },
      redact: {
        paths: [
          'req.headers.authorization',
          'headers.authorization',
          'authorization',
          'token',
          '*.token',
          'connectionString',
          '*.connectionString',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(1),
  );
}
