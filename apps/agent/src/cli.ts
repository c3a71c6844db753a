import { main } from './main.js';

// The entry of the one-file bundle and the executable (bin/afterhours-agent.js runs the compiled files).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
