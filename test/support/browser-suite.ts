/**
 * The one set-up of a browser spec: a real server (useServer) and Debian's Chromium launched
 * alongside it; after each test every page opened must have logged no console or page error, and
 * the pages are closed; after all tests the browser, then the server.
 */
import type { Page } from 'playwright-core';
import { closeBrowser, closePages, expectNoConsoleErrors, launchBrowser, loginAs, openPage, openPages, screenshot, type OpenPageOptions } from './browser';
import { serverHooks, type ServerFixture, type UseServerOptions } from './use-server';

export interface BrowserSuite {
  /** The server the pages talk to (see useServer). */
  server: ServerFixture;
  /** A new tab in its own browser context at the server's address (see openPage in browser.ts). */
  open(opts?: OpenPageOptions): Promise<Page>;
  /** open(), then log in through the form as `user` (password "demo") and wait for the landing screen. */
  openAs(user: string, opts?: OpenPageOptions): Promise<Page>;
  /** docs/screenshots/<name>.png of the page. */
  screenshot: typeof screenshot;
}

/** Registers the hooks of a browser spec; `options` are the server's (see useServer). */
export function useBrowserSuite(options: UseServerOptions | (() => UseServerOptions) = {}): BrowserSuite {
  // Registered first so it runs first: the pages are checked and closed while the server is still up.
  afterEach(async () => {
    try {
      for (const p of openPages()) expectNoConsoleErrors(p);
    } finally {
      await closePages();
    }
  });
  const server = serverHooks(options, { start: launchBrowser, stop: closeBrowser });
  const open = (opts?: OpenPageOptions) => openPage(server.baseUrl, opts);
  return {
    server,
    open,
    async openAs(user, opts) {
      const page = await open(opts);
      await loginAs(page, user);
      return page;
    },
    screenshot,
  };
}
