/**
 * A reader that goes away early (`wharf az-setup --run | head`) closes the pipe under our
 * writes: Node reports EPIPE as an error event, which would end in a stack trace. Unix tools
 * stop quietly then; so does wharf: the output nobody reads is dropped and the exit code is
 * what the command had so far.
 */
export function endQuietlyOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
