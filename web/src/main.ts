/** The web client's entry module (web/public/index.html loads it as /app/main.js): the shell takes the page. */
import './app/shell.js';
