/** People administration's public surface: the module, and who a supervisor sees (floor, dashboards). */
export { PeopleModule } from './people.module';
export { parseSupervises, seesTeam } from './person-rules';
export { PeopleService } from './people.service';
export { TeamEntity } from './people.entities';
