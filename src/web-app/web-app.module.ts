import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import * as path from 'node:path';

/**
 * Every page of the web app (agent screen, flow editor, QA, dashboards, live floor): the static
 * page and styles from web/public, compiled modules from web/dist, and elkjs's browser bundle
 * (global `ELK`) for the flow editor's blueprint layout at /vendor/elkjs, chart.js's UMD bundle
 * (global `Chart`) for the live floor at /vendor/chartjs.
 */
const WEB_ROOT = path.resolve(process.cwd(), 'web');
const ELK_ROOT = path.dirname(require.resolve('elkjs/lib/elk.bundled.js'));
const CHARTJS_ROOT = path.dirname(require.resolve('chart.js'));
const EXCLUDE = ['/api/{*path}', '/ws', '/metrics'];

@Module({
  imports: [
    ServeStaticModule.forRoot(
      { rootPath: path.join(WEB_ROOT, 'dist'), serveRoot: '/app', exclude: EXCLUDE, serveStaticOptions: { fallthrough: false } },
      { rootPath: ELK_ROOT, serveRoot: '/vendor/elkjs', exclude: EXCLUDE, serveStaticOptions: { fallthrough: false } },
      { rootPath: CHARTJS_ROOT, serveRoot: '/vendor/chartjs', exclude: EXCLUDE, serveStaticOptions: { fallthrough: false } },
      { rootPath: path.join(WEB_ROOT, 'public'), exclude: EXCLUDE, serveStaticOptions: { index: 'index.html' } },
    ),
  ],
})
export class WebAppModule {}
